import Type from 'typebox';
import type { Router } from 'express';
import { HttpError } from '../http/errors';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { checkPassword, PasswordBody } from '../admin/service';
import { loadUser, userOfToken, bearer } from './middleware';
import { revokeTokens } from './revocation';
import { setPasswordHash, userById, userByUsername } from './repo';
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

/** Refresh and logout take no body; one sent anyway must be empty (a form post or a confused client is refused). */
const NoBody = Type.Object({}, { additionalProperties: false });

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
    errors: { 401: 'Wrong username or password', 403: 'Password sign-in turned off (PASSWORD_LOGIN_DISABLED)', 429: 'Too many failed attempts for this account or from this address (Retry-After)' },
  }, async ({ req, res, body }) => {
    if (!deps.config.officerPasswords) {
      throw new HttpError(403, 'PASSWORD_LOGIN_DISABLED', {
        vi: 'Đăng nhập bằng mật khẩu đã tắt: hãy đăng nhập qua hệ thống định danh (SSO)', en: 'Password sign-in is turned off: sign in through single sign-on',
      });
    }
    const keys = throttleKeys(body.username, req.ip);
    try {
      await checkThrottle(deps, keys);
    } catch (e) {
      if (e instanceof HttpError && typeof e.details?.['retryAfterSeconds'] === 'number') res.setHeader('Retry-After', String(e.details['retryAfterSeconds']));
      throw e;
    }
    const row = await userByUsername(deps, body.username);
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
    body: NoBody, response: SessionSchema,
    errors: { 401: 'No session, or it expired or was revoked (NO_SESSION)', 403: 'Anti-forgery header missing or wrong (CSRF_MISMATCH)' },
  }, async ({ req, res }) => {
    const user = await refreshUser(deps, req);
    if (!user) {
      clearSession(deps, res);
      throw noSession();
    }
    // refreshUser checked the header against the session's value: keep it.
    return issueSession(deps, res, user, String(req.headers[CSRF_HEADER]));
  });

  api.add({
    method: 'post', path: '/api/auth/logout', tags: ['auth'], access: 'public', status: 204,
    summary: `Sign out everywhere: revokes every token and refresh cookie of the user (bearer token, or refresh cookie with the ${CSRF_HEADER.toUpperCase()} header) and closes their live connections`,
    body: NoBody,
    errors: { 401: 'No valid token or session', 403: 'Anti-forgery header missing or wrong (CSRF_MISMATCH)' },
  }, async ({ req, res }) => {
    // The bearer token, or (when it has expired or is absent, as after a reload) the refresh cookie.
    const token = bearer(req);
    const user = (token ? (await userOfToken(deps, token))?.user : null) ?? (await refreshUser(deps, req));
    clearSession(deps, res);
    if (!user) throw noSession();
    await revokeTokens(deps, user.id, 'logout');
    return undefined;
  });

  api.add({
    method: 'post', path: '/api/auth/password', tags: ['auth'], access: 'user',
    summary: 'Change your own password: every other session and token of yours ends; this one gets a fresh token',
    body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: PasswordBody.properties.password }, { additionalProperties: false }),
    response: SessionSchema,
    errors: { 403: 'Wrong current password (WRONG_PASSWORD)', 422: 'Weak password', 429: 'Too many failed attempts' },
  }, async ({ req, res, body, user }) => {
    const row = await userById(deps, user!.id);
    // A stolen token must not be enough to take the account over: the current password is
    // asked, and wrong guesses count against the account like failed logins.
    const keys = throttleKeys(row!.username, req.ip);
    await checkThrottle(deps, keys);
    if (!(await verifyPassword(row!.passwordHash, body.currentPassword))) {
      await recordFailure(deps, keys);
      throw new HttpError(403, 'WRONG_PASSWORD', { vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' }, [
        { path: '/currentPassword', message: { vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' } },
      ]);
    }
    checkPassword(body.newPassword, row!.username, row!.name);
    await setPasswordHash(deps, row!.id, await hashPassword(body.newPassword));
    await revokeTokens(deps, row!.id, 'password');
    const fresh = await loadUser(deps, row!.id);
    return issueSession(deps, res, fresh!);
  });

  api.add({
    method: 'get', path: '/api/auth/me', summary: 'The signed-in user and their roles per unit', tags: ['auth'], access: 'user',
    response: UserSchema,
  }, async ({ user }) => publicUser(user!));

  downloadLinkRoute(api, deps);
}
