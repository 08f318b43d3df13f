import { SignJWT, jwtVerify } from 'jose';

/**
 * What a token is for. Each kind is refused where another is expected: a refresh token
 * is not a bearer token, a download link opens one file and nothing else.
 */
export type TokenKind = 'access' | 'refresh' | 'download';

export interface TokenClaims {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** The user's token version when it was signed: a bump (logout, password, deactivation) revokes it. */
  ver: number;
  /** Download links: the one path they open. */
  path?: string;
  /** Refresh tokens: the CSRF token the refresh and logout requests must echo in a header. */
  csrf?: string;
}

export interface SignOptions {
  kind?: TokenKind;
  ver?: number;
  path?: string;
  csrf?: string;
}

const ISSUER = 'motcua';
const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs a token (HS256) for a user id; an access token unless `options.kind` says otherwise. */
export async function signToken(userId: string, secret: string, ttlSeconds: number, now: Date, options: SignOptions = {}): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT({
    typ: options.kind ?? 'access', ver: options.ver ?? 0,
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.csrf !== undefined ? { csrf: options.csrf } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds);
  return jwt.sign(key(secret));
}

/**
 * Verifies a token of `kind` against the injected clock, with the current secret or (while a
 * rotation rolls out) the previous one; null when invalid, expired or of another kind.
 */
export async function verifyToken(
  token: string, secrets: string | readonly (string | null)[], now: Date, kind: TokenKind = 'access',
): Promise<TokenClaims | null> {
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    if (!secret) continue;
    try {
      const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, algorithms: ['HS256'], currentDate: now });
      if (payload['typ'] !== kind || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      const ver = payload['ver'];
      if (typeof ver !== 'number' || !Number.isInteger(ver)) return null;
      const { path, csrf } = payload;
      return {
        sub: payload.sub, exp: payload.exp, ver,
        ...(typeof path === 'string' ? { path } : {}),
        ...(typeof csrf === 'string' ? { csrf } : {}),
      };
    } catch {
      // a bad signature may still match the other secret; anything else fails there too
    }
  }
  return null;
}

/** The secrets tokens are verified with: the current one, then the one before the last rotation. */
export function verificationSecrets(config: { tokenSecret: string; previousTokenSecret: string | null }): (string | null)[] {
  return [config.tokenSecret, config.previousTokenSecret];
}
