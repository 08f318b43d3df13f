import Type from 'typebox';
import { eq } from 'drizzle-orm';
import { rateLimit } from 'express-rate-limit';
import type { Router } from 'express';
import { users } from '../db/schema';
import { HttpError } from '../http/errors';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { verifyPassword } from './passwords';
import { signToken } from './tokens';
import { loadUser } from './middleware';

export const GrantSchema = Type.Object({
  role: Type.String(), unit: Type.String(),
  position: Type.Optional(Type.String()), title: Type.Optional(Type.String()),
});
export const UserSchema = Type.Object({
  id: Type.String(), username: Type.String(), name: Type.String(), grants: Type.Array(GrantSchema),
});

/** Login (rate-limited per address) and the current user. */
export function authRoutes(api: Api, router: Router, deps: Deps): void {
  router.use('/api/auth/login', rateLimit({
    windowMs: 60_000,
    limit: deps.config.loginRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: { code: 'TOO_MANY_ATTEMPTS', message: {
        vi: 'Đăng nhập sai quá nhiều lần, vui lòng thử lại sau một phút', en: 'Too many login attempts; try again in a minute',
      } } });
    },
  }));

  api.add({
    method: 'post', path: '/api/auth/login', summary: 'Sign in with username and password', tags: ['auth'], access: 'public',
    body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    response: Type.Object({ token: Type.String(), expiresIn: Type.Integer(), user: UserSchema }),
    errors: { 401: 'Wrong username or password', 429: 'Too many attempts' },
  }, async ({ body }) => {
    const [row] = await deps.db.select().from(users).where(eq(users.username, body.username));
    const ok = row && row.active && (await verifyPassword(row.passwordHash, body.password));
    if (!row || !ok) {
      throw new HttpError(401, 'BAD_CREDENTIALS', { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' });
    }
    const user = await loadUser(deps, row.id);
    const token = await signToken(row.id, deps.config.tokenSecret, deps.config.tokenTtlSeconds, deps.clock.now());
    return { token, expiresIn: deps.config.tokenTtlSeconds, user };
  });

  api.add({
    method: 'get', path: '/api/auth/me', summary: 'The signed-in user and their roles per unit', tags: ['auth'], access: 'user',
    response: UserSchema,
  }, async ({ user }) => user);
}
