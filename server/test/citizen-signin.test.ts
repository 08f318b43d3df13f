import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, seedPeople, login, type Harness } from './support/harness';
import { signInThroughProvider, startTestProvider } from './support/citizens';
import type { DevProvider } from '../src/citizens/devProvider';

let h: Harness;
let p: DevProvider;

beforeAll(async () => {
  h = await createHarness();
  await seedPeople(h, [
    ...ANPHU_STAFF, { username: 'admin', grants: [{ role: 'admin', unit: '000.00.00.H99' }] },
    // An account with no role anywhere (seeded, or left so by a direct change): it belongs to no administrator.
    { username: 'xaadmin', grants: [{ role: 'admin', unit: '000.02.31.H99' }] }, { username: 'ghost', grants: [] },
  ]);
  p = await startTestProvider(h);
});
afterAll(async () => {
  await p?.close();
  await h?.close();
});

describe('citizen sign-in through OpenID Connect (local provider, code flow with PKCE)', () => {
  it('redirects to the provider with PKCE S256, state and nonce', async () => {
    const res = await h.http.get('/api/oidc/login');
    expect(res.status).toBe(302);
    const url = new URL(String(res.headers['location']));
    expect(url.origin).toBe(p.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.deps.config.publicUrl}/api/oidc/callback`);
    expect(String(res.headers['set-cookie'])).toMatch(/motcua_oidc=.*HttpOnly/i);
  });

  it('signs a citizen in: session cookie, /api/me from the verified claims, CSRF on changes, logout', async () => {
    const s = await signInThroughProvider(h, p, '001199000001');
    expect(s.location).toBe('/cong-dan/ho-so');
    expect(s.setCookies.join('\n')).toMatch(/motcua_citizen=[^;]+;.*HttpOnly/i);
    const me = await h.http.get('/api/me').set('Cookie', s.cookie);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ personalId: '001199000001', name: 'Trần Thị Mai', email: 'mai@congdan.demo', phone: '0901000001' });
    // A citizen's session is not an officer's token.
    expect((await h.http.get('/api/auth/me').set('Cookie', s.cookie)).status).toBe(401);
    // A change without the anti-forgery header is refused.
    const forged = await h.http.post('/api/citizen/logout').set('Cookie', s.cookie).send({});
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_MISMATCH');
    const out = await h.http.post('/api/citizen/logout').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({});
    expect(out.status).toBe(204);
    // The old cookie is revoked everywhere.
    const after = await h.http.get('/api/me').set('Cookie', s.cookie);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('CITIZEN_UNAUTHENTICATED');
    expect(after.body.error.message.vi).toBeTruthy();
  });

  it('refuses a wrong password at the provider and a callback without its flow cookie or with a forged state', async () => {
    await expect(signInThroughProvider(h, p, '001199000002', { password: 'wrong' })).rejects.toThrow(/provider login: 401/);
    const cb = await h.http.get('/api/oidc/callback?code=abc&state=xyz');
    expect(cb.status).toBe(400);
    expect(cb.body.error.code).toBe('SSO_FLOW_INVALID');
    const start = await h.http.get('/api/oidc/login');
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const forged = await h.http.get('/api/oidc/callback?code=abc&state=forged').set('Cookie', cookie);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('SSO_FLOW_INVALID');
  });

  it('never redirects to another site after sign-in', async () => {
    const s = await signInThroughProvider(h, p, '001199000003', { next: '//evil.example/x' });
    expect(s.location).toBe('/cong-dan/ho-so');
  });

  it('officers: linked by the verified personal ID (not by name), an officer session; unlinked identities are not let in', async () => {
    const unlinked = await signInThroughProvider(h, p, '001088000101', { as: 'officer' });
    expect(unlinked.location).toBe('/login?sso=unlinked');
    expect(unlinked.setCookies.join('\n')).not.toMatch(/motcua_refresh=[^;]/);
    const admin = await login(h, 'admin');
    const bad = await h.http.put('/api/users/u-lan/sso').set('Authorization', admin).send({ personalId: '12' });
    expect(bad.status).toBe(422);
    const link = await h.http.put('/api/users/u-lan/sso').set('Authorization', admin).send({ personalId: '001088000101' });
    expect(link.status).toBe(200);
    expect(link.body).toEqual({ userId: 'u-lan', personalId: '001088000101' });
    const s = await signInThroughProvider(h, p, '001088000101', { as: 'officer' });
    expect(s.location).toBe('/');
    const refresh = await h.http.post('/api/auth/refresh').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({});
    expect(refresh.status).toBe(200);
    expect(refresh.body.user.username).toBe('lan');
  });

  it('lets no administrator link their own identity to an account with no role at their units (or none at all)', async () => {
    const xa = await login(h, 'xaadmin');
    const other = await h.http.put('/api/users/u-lan/sso').set('Authorization', xa).send({ personalId: '001199000004' });
    expect(other.status).toBe(403);
    const ghost = await h.http.put('/api/users/u-ghost/sso').set('Authorization', xa).send({ personalId: '001199000004' });
    expect(ghost.status, JSON.stringify(ghost.body)).toBe(403);
    expect(ghost.body.error.code).toBe('FORBIDDEN');
    expect(ghost.body.error.message.vi).toBeTruthy();
    // and the identity does not open that account
    const s = await signInThroughProvider(h, p, '001199000004', { as: 'officer' });
    expect(s.location).toBe('/login?sso=unlinked');
  });

  it('local passwords can be turned off for officers', async () => {
    h.deps.config.officerPasswords = false;
    try {
      const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('PASSWORD_LOGIN_DISABLED');
      expect((await h.http.get('/api/oidc/status')).body).toMatchObject({ sso: true, officerPasswords: false });
    } finally {
      h.deps.config.officerPasswords = true;
    }
  });

  it('answers 503 when no provider is configured', async () => {
    const saved = h.deps.config.oidc;
    h.deps.config.oidc = null;
    try {
      const res = await h.http.get('/api/oidc/login');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SSO_NOT_CONFIGURED');
    } finally {
      h.deps.config.oidc = saved;
    }
  });
});
