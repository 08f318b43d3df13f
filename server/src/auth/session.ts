/**
 * Browser sessions. The web app keeps its bearer token in memory only (a script injected
 * into the page cannot read it from storage) and restores it after a reload from a refresh
 * cookie: httpOnly, SameSite=Strict, Secure on https, sent only to /api/auth. Refresh and
 * logout are protected against cross-site requests by a signed double-submit token: the
 * refresh token carries a random CSRF value, also set in a cookie the page can read, which
 * the page echoes in the `X-CSRF-Token` header.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse } from 'cookie';
import type { Request, Response } from 'express';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import type { AuthUser } from './middleware';
import { userOfToken } from './middleware';
import { signToken } from './tokens';

export const REFRESH_COOKIE = 'motcua_refresh';
export const CSRF_COOKIE = 'motcua_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const REFRESH_PATH = '/api/auth';

const secure = (deps: Deps) => deps.config.publicUrl.startsWith('https:');

export interface SessionAnswer {
  token: string;
  expiresIn: number;
  user: Pick<AuthUser, 'id' | 'username' | 'name' | 'grants'>;
}

/** The user as the API shows it (no token version). */
export const publicUser = (u: AuthUser): SessionAnswer['user'] => ({ id: u.id, username: u.username, name: u.name, grants: u.grants });

/**
 * Signs an access token and sets (or renews) the refresh and CSRF cookies. A refresh keeps
 * the session's anti-forgery value (`csrf`): two tabs, or two requests of one page, that
 * refresh at once would otherwise each see the other's new cookie with their old header.
 */
export async function issueSession(deps: Deps, res: Response, user: AuthUser, csrf = randomBytes(24).toString('base64url')): Promise<SessionAnswer> {
  const { tokenSecret, tokenTtlSeconds, refreshTtlSeconds } = deps.config;
  const now = deps.clock.now();
  const token = await signToken(user.id, tokenSecret, tokenTtlSeconds, now, { ver: user.tokenVersion });
  const refresh = await signToken(user.id, tokenSecret, refreshTtlSeconds, now, { kind: 'refresh', ver: user.tokenVersion, csrf });
  const common = { sameSite: 'strict' as const, secure: secure(deps), maxAge: refreshTtlSeconds * 1000 };
  res.cookie(REFRESH_COOKIE, refresh, { ...common, httpOnly: true, path: REFRESH_PATH });
  // Readable by the page (it must echo it); worthless without the httpOnly cookie it matches.
  res.cookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false, path: '/' });
  return { token, expiresIn: tokenTtlSeconds, user: publicUser(user) };
}

export function clearSession(deps: Deps, res: Response): void {
  const common = { sameSite: 'strict' as const, secure: secure(deps) };
  res.clearCookie(REFRESH_COOKIE, { ...common, httpOnly: true, path: REFRESH_PATH });
  res.clearCookie(CSRF_COOKIE, { ...common, path: '/' });
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The user of the request's refresh cookie, once its CSRF header matches; null without a
 * usable cookie (absent, expired, revoked). A cookie with a wrong or missing header is a
 * cross-site attempt: 403.
 */
export async function refreshUser(deps: Deps, req: Request): Promise<AuthUser | null> {
  const raw = req.headers.cookie ? parse(req.headers.cookie)[REFRESH_COOKIE] : undefined;
  if (!raw) return null;
  const found = await userOfToken(deps, raw, 'refresh');
  if (!found) return null;
  const header = req.headers[CSRF_HEADER];
  if (typeof header !== 'string' || !found.claims.csrf || !same(header, found.claims.csrf)) {
    throw new HttpError(403, 'CSRF_MISMATCH', {
      vi: `Thiếu hoặc sai mã chống giả mạo (tiêu đề ${CSRF_HEADER.toUpperCase()}): hãy tải lại trang và thử lại`,
      en: `Missing or wrong anti-forgery token (${CSRF_HEADER.toUpperCase()} header): reload the page and try again`,
    });
  }
  return found.user;
}
