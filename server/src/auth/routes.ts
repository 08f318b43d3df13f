import Type from 'typebox';
import { eq } from 'drizzle-orm';
import type { Router } from 'express';
import { users } from '../db/schema';
import { HttpError } from '../http/errors';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { dummyHash, verifyPassword } from './passwords';
import { loadUser, userOfToken, bearer } from './middleware';
import { revokeTokens } from './revocation';
import { checkThrottle, clearAccount, recordFailure, throttleKeys } from './throttle';
import { clearSession, issueSession, publicUser, refreshUser, CSRF_HEADER } from './session';
import { downloadLinkRoute } from './links';

export const GrantSchema = Type.Object({
  role: Type.String(), unit: Type.String(),
  position: Type.Optional(Type.String()), title: Type.Optional(Type.String()),
});
export const UserSchema = Type.Object({
  id: Type.String(), username: Type.String(), name: Type.String(), grants: Type.Array(GrantSchema),
});
const SessionSchema = Type.Object({ token: Type.String(), expiresIn: Type.Integer(), user: UserSchema });

const noSession = () => new HttpError(401, 'NO_SESSION', {
  vi: 'Phiên đăng nhập đã hết hạn hoặc đã bị thu hồi: hãy đăng nhập lại', en: 'The session has expired or was revoked: sign in again',
});

/** Login (failures throttled per account and address), session refresh, logout, the current user. */
export function authRoutes(api: Api, _router: Router, deps: Deps): void {
  api.add({
    method: 'post', path: '/api/auth/login', tags: ['auth'], access: 'public',
    summary: 'Sign in with username and password: the access token in the answer, a refresh cookie (httpOnly) for the web app',
    body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    response: SessionSchema,
    errors: { 401: 'Wrong username or password', 429: 'Too many failed attempts for this account or from this address (Retry-After)' },
  }, async ({ req, res, body }) => {
    const keys = throttleKeys(body.username, req.ip);
    try {
      await checkThrottle(deps, keys);
    } catch (e) {
      if (e instanceof HttpError && typeof e.details?.['retryAfterSeconds'] === 'number') res.setHeader('Retry-After', String(e.details['retryAfterSeconds']));
      throw e;
    }
    const [row] = await deps.db.select().from(users).where(eq(users.username, body.username));
    // The hash runs whether or not the user exists (against a dummy hash if not), so the
    // answer's timing does not tell which usernames exist.
    const matches = await verifyPassword(row?.passwordHash ?? (await dummyHash()), body.password);
    const user = row && row.active && matches ? await loadUser(deps, row.id) : null;
    if (!user) {
      await recordFailure(deps, keys);
      throw new HttpError(401, 'BAD_CREDENTIALS', { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' });
    }
    await clearAccount(deps, keys);
    return issueSession(deps, res, user);
  });

  api.add({
    method: 'post', path: '/api/auth/refresh', tags: ['auth'], access: 'public',
    summary: `A new access token from the refresh cookie (the web app after a reload); needs the ${CSRF_HEADER.toUpperCase()} header echoing the motcua_csrf cookie`,
    response: SessionSchema,
    errors: { 401: 'No session, or it expired or was revoked (NO_SESSION)', 403: 'Anti-forgery header missing or wrong (CSRF_MISMATCH)' },
  }, async ({ req, res }) => {
    const user = await refreshUser(deps, req);
    if (!user) {
      clearSession(deps, res);
      throw noSession();
    }
    return issueSession(deps, res, user);
  });

  api.add({
    method: 'post', path: '/api/auth/logout', tags: ['auth'], access: 'public', status: 204,
    summary: `Sign out everywhere: revokes every token and refresh cookie of the user (bearer token, or refresh cookie with the ${CSRF_HEADER.toUpperCase()} header) and closes their live connections`,
    errors: { 401: 'No valid token or session', 403: 'Anti-forgery header missing or wrong (CSRF_MISMATCH)' },
  }, async ({ req, res }) => {
    const token = bearer(req);
    const user = token ? (await userOfToken(deps, token))?.user ?? null : await refreshUser(deps, req);
    clearSession(deps, res);
    if (!user) throw noSession();
    await revokeTokens(deps, user.id);
    deps.logger.info({ user: user.id }, 'signed out: tokens revoked');
    return undefined;
  });

  api.add({
    method: 'get', path: '/api/auth/me', summary: 'The signed-in user and their roles per unit', tags: ['auth'], access: 'user',
    response: UserSchema,
  }, async ({ user }) => publicUser(user!));

  downloadLinkRoute(api, deps);
}
