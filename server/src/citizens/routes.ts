import Type from 'typebox';
import type { Router } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError, forbidden, notFound } from '../http/errors';
import { loadUser, requireRoleAt, revokeTokens } from '../auth/service';
import { beginSignIn, finishSignIn, safeNext } from './oidc';
import {
  citizenOf, clearCitizenSession, linkOfficer, personalIdOfOfficer, requireCitizen, sessionCitizen, signInOfficer, signOutCitizen, startCitizenSession, unlinkOfficer,
} from './service';

export const CitizenSchema = Type.Object({
  personalId: Type.String({ description: 'Số định danh cá nhân, from the provider\'s configured claim' }),
  name: Type.String(), email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()),
});

const LoginQuery = Type.Object({
  as: Type.Optional(Type.Union([Type.Literal('citizen'), Type.Literal('officer')], { description: 'citizen (default) or officer' })),
  next: Type.Optional(Type.String({ maxLength: 500, description: 'A path of the web app to return to' })),
});

const NoBody = Type.Object({}, { additionalProperties: false });

/**
 * Single sign-on (OpenID Connect) for citizens and officers, the citizen's session. Routes
 * under /api/me need a citizen's session (`requireCitizen`, mounted here before them).
 */
export function citizenRoutes(api: Api, router: Router, deps: Deps): void {
  router.use('/api/me', requireCitizen(deps));

  api.add({
    method: 'get', path: '/api/oidc/status', tags: ['citizens'], access: 'public',
    summary: 'Which sign-ins this server offers: single sign-on (OpenID Connect) and officers\' local passwords',
    response: Type.Object({ sso: Type.Boolean(), officerPasswords: Type.Boolean(), issuer: Type.Union([Type.String(), Type.Null()]) }),
  }, async () => ({ sso: deps.config.oidc !== null, officerPasswords: deps.config.officerPasswords, issuer: deps.config.oidc?.issuer ?? null }));

  api.add({
    method: 'get', path: '/api/oidc/login', tags: ['citizens'], access: 'public', query: LoginQuery, status: 302,
    summary: 'Starts a sign-in through the OpenID Connect provider (authorization code with PKCE): redirects to the provider',
    errors: { 502: 'The provider cannot be reached (SSO_UNREACHABLE)', 503: 'No provider configured (SSO_NOT_CONFIGURED)' },
  }, async ({ res, query }) => {
    const as = query.as ?? 'citizen';
    const url = await beginSignIn(deps, res, { as, next: safeNext(query.next, as === 'officer' ? '/' : '/cong-dan/ho-so') });
    res.redirect(302, url);
  });

  api.add({
    method: 'get', path: '/api/oidc/callback', tags: ['citizens'], access: 'public', status: 302,
    summary: 'The provider\'s redirect back: verifies the code (state, PKCE, nonce, ID token), opens the session, redirects to the web app',
    errors: { 400: 'Invalid or expired sign-in (SSO_FLOW_INVALID)', 401: 'Refused by the provider, or no personal ID number' },
  }, async ({ req, res }) => {
    const { flow, person } = await finishSignIn(deps, req, res);
    if (flow.as === 'officer') {
      if (!(await signInOfficer(deps, res, person))) {
        deps.logger.info({ subject: person.subject }, 'SSO sign-in of a person linked to no officer account');
        res.redirect(302, '/login?sso=unlinked');
        return;
      }
      res.redirect(302, flow.next);
      return;
    }
    await startCitizenSession(deps, res, person);
    res.redirect(302, flow.next);
  });

  api.add({
    method: 'get', path: '/api/me', tags: ['citizens'], access: 'public', response: CitizenSchema,
    summary: 'The signed-in citizen (session cookie)', errors: { 401: 'No citizen session (CITIZEN_UNAUTHENTICATED)' },
  }, async ({ req, res }) => citizenOf(deps, req, res));

  api.add({
    method: 'post', path: '/api/citizen/logout', tags: ['citizens'], access: 'public', status: 204, body: NoBody,
    summary: 'Signs the citizen out of every session (needs the X-CSRF-Token header echoing motcua_citizen_csrf)',
    errors: { 403: 'Anti-forgery header missing or wrong (CSRF_MISMATCH)' },
  }, async ({ req, res }) => {
    const c = await sessionCitizen(deps, req);
    if (c) await signOutCitizen(deps, res, c);
    else clearCitizenSession(deps, res);
    return undefined;
  });

  const LinkBody = Type.Object({
    personalId: Type.Union([Type.String({ pattern: '^[0-9]{12}$', description: '12-digit personal ID number (số định danh cá nhân)' }), Type.Null()]),
  }, { additionalProperties: false });
  api.add({
    method: 'put', path: '/api/users/:id/sso', tags: ['admin'], access: ['admin'],
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }), body: LinkBody,
    response: Type.Object({ userId: Type.String(), personalId: Type.Union([Type.String(), Type.Null()]) }),
    summary: 'Links an officer account to the personal ID number the SSO verifies (null: unlinks); the officer may then sign in through the provider. Their sessions end.',
    errors: { 403: 'Not at your units', 404: 'No such user', 409: 'Another account holds this ID (SSO_ID_TAKEN)' },
  }, async ({ user, params, body }) => {
    // The administrator must administer every unit the officer works at; an account with no role
    // at all belongs to no administrator (as for its other changes), else any could take it over.
    const target = await loadUser(deps, params.id);
    if (!target) throw notFound({ vi: 'người dùng', en: 'user' }, params.id);
    if (target.grants.length === 0) {
      throw forbidden({ vi: `Người dùng "${params.id}" không thuộc đơn vị bạn quản trị`, en: `User "${params.id}" does not belong to a unit you administer` });
    }
    for (const g of target.grants) await requireRoleAt(deps, user!, ['admin'], g.unit);
    if (body.personalId === null) await unlinkOfficer(deps, params.id);
    else {
      try {
        await linkOfficer(deps, params.id, body.personalId, user!.id);
      } catch (e) {
        throw new HttpError(409, 'SSO_ID_TAKEN', { vi: 'Số định danh này đã gắn với tài khoản khác', en: 'This ID is linked to another account' },
          [{ path: '/personalId', message: { vi: 'Đã gắn với tài khoản khác', en: 'Linked to another account' } }], { cause: String(e) });
      }
    }
    await revokeTokens(deps, params.id, 'sso-link');
    return { userId: params.id, personalId: await personalIdOfOfficer(deps, params.id) };
  });
}
