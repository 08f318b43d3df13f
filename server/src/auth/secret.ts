/**
 * Which token secrets the server may run with. The demo secret is public (it is in this
 * repository), so a token forged with it would sign in as anyone: it is only acceptable
 * for the zero-setup demo (embedded PGlite, not production).
 */

/** The secret the demo signs tokens with when TOKEN_SECRET is not set. Public: never for real data. */
export const DEMO_TOKEN_SECRET = 'motcua-demo-secret-change-me-in-production-0123456789';

/** The shortest secret accepted, in bytes (HS256 wants a key as long as its 256-bit hash). */
export const MIN_SECRET_BYTES = 32;

export interface SecretProblem {
  vi: string;
  en: string;
}

export interface SecretSettings {
  /** TOKEN_SECRET as given (undefined or empty = not set). */
  secret: string | undefined;
  /** TOKEN_SECRET_PREVIOUS: still accepted for verification while a new secret rolls out. */
  previous: string | undefined;
  /** NODE_ENV=production. */
  production: boolean;
  /** DATABASE_URL is set: a real database, so real people's data. */
  realDatabase: boolean;
}

const tooShort = (name: string, bytes: number): SecretProblem => ({
  vi: `${name} quá ngắn (${bytes} byte): cần ít nhất ${MIN_SECRET_BYTES} byte ngẫu nhiên, ví dụ tạo bằng "openssl rand -hex 32"`,
  en: `${name} is too short (${bytes} bytes): use at least ${MIN_SECRET_BYTES} random bytes, e.g. from "openssl rand -hex 32"`,
});

/** Why the server must not start with these settings, or null when it may. */
export function secretProblem(s: SecretSettings): SecretProblem | null {
  const serious = s.production || s.realDatabase;
  const why = s.production ? 'NODE_ENV=production' : 'DATABASE_URL';
  if (!s.secret) {
    if (!serious) return null;
    return {
      vi: `Chưa đặt TOKEN_SECRET (bắt buộc khi có ${why}): nếu không, máy chủ ký mã đăng nhập bằng khóa demo công khai và ai cũng giả mạo được đăng nhập. Hãy đặt TOKEN_SECRET là ít nhất ${MIN_SECRET_BYTES} byte ngẫu nhiên, ví dụ "openssl rand -hex 32"`,
      en: `TOKEN_SECRET is not set (required with ${why}): without it tokens are signed with the public demo secret and anyone can forge a login. Set TOKEN_SECRET to at least ${MIN_SECRET_BYTES} random bytes, e.g. from "openssl rand -hex 32"`,
    };
  }
  const bytes = Buffer.byteLength(s.secret, 'utf8');
  if (bytes < MIN_SECRET_BYTES) return tooShort('TOKEN_SECRET', bytes);
  if (serious && (s.secret === DEMO_TOKEN_SECRET || s.previous === DEMO_TOKEN_SECRET)) {
    return {
      vi: `TOKEN_SECRET hoặc TOKEN_SECRET_PREVIOUS đang là khóa demo công khai (không được dùng khi có ${why}): hãy đặt khóa ngẫu nhiên riêng`,
      en: `TOKEN_SECRET or TOKEN_SECRET_PREVIOUS is the public demo secret (not allowed with ${why}): set a random secret of your own`,
    };
  }
  if (s.previous) {
    const prev = Buffer.byteLength(s.previous, 'utf8');
    if (prev < MIN_SECRET_BYTES) return tooShort('TOKEN_SECRET_PREVIOUS', prev);
  }
  return null;
}
