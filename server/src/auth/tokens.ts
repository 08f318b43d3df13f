import { SignJWT, jwtVerify } from 'jose';

export interface TokenClaims {
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const ISSUER = 'motcua';

/** Signs a short-lived access token (HS256) for a user id. */
export async function signToken(userId: string, secret: string, ttlSeconds: number, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** Verifies a token against the injected clock; null when invalid or expired. */
export async function verifyToken(token: string, secret: string, now: Date): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    return typeof payload.sub === 'string' && typeof payload.exp === 'number' ? { sub: payload.sub, exp: payload.exp } : null;
  } catch {
    return null;
  }
}
