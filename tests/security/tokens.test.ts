/**
 * Hole 10 and part of 14: tokens never travel in URLs (short-lived signed download links
 * instead) nor reach the logs; logout, password change and deactivation revoke every token
 * of the user; the web app's refresh cookie is httpOnly, SameSite=Strict and CSRF-protected;
 * personal answers are not cached; metrics need their own token.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createHarness, login, seedPeople, type Harness } from '../../server/test/support/harness';
import { serveMetrics } from '../../server/src/http/metrics';

const UNIT = '000.01.31.H99';
let h: Harness;
const logged: string[] = [];

beforeAll(async () => {
  h = await createHarness({ config: { metricsToken: 'metrics-token-0123456789' } });
  // Every log line the app writes, to check what it says about requests.
  h.deps.logger = pino({ level: 'info' }, new Writable({ write(chunk: Buffer, _enc, done) { logged.push(chunk.toString()); done(); } }));
  await seedPeople(h, [
    { username: 'admin', grants: [{ role: 'admin', unit: '000.00.00.H99' }] },
    ...['lan', 'hung', 'mai', 'tuan'].map((username) => ({ username, grants: [{ role: 'desk', unit: UNIT }] })),
  ]);
});
afterAll(async () => h?.close());

const raw = (bearer: string) => bearer.slice('Bearer '.length);
const me = (bearer: string) => h.http.get('/api/auth/me').set('Authorization', bearer);
const cookiesOf = (res: { headers: { [k: string]: unknown } }): string[] => (res.headers['set-cookie'] as string[] | undefined) ?? [];
const cookie = (res: { headers: { [k: string]: unknown } }, name: string) => cookiesOf(res).find((c) => c.startsWith(`${name}=`));
const value = (c: string | undefined) => c?.split(';')[0]!.split('=').slice(1).join('=') ?? '';

describe('tokens in URLs', () => {
  it('should refuse the bearer token as ?token= on every route, and never log it', async () => {
    const bearer = await login(h, 'lan');
    for (const path of ['/api/auth/me', '/api/dossiers', '/api/dossiers/X/slips/receipt', '/api/dossiers/X/documents/Y']) {
      const res = await h.http.get(`${path}?token=${raw(bearer)}`);
      expect(res.status, path).toBe(401);
    }
    const lines = logged.join('');
    expect(lines).toContain('token=[redacted]');
    expect(lines).not.toContain(raw(bearer));
  });

  it('should open one file with a short-lived link, and nothing else with it', async () => {
    const bearer = await login(h, 'hung');
    const path = '/api/dossiers/NO-SUCH/slips/receipt';
    const made = await h.http.post('/api/auth/download-link').set('Authorization', bearer).send({ path });
    expect(made.status).toBe(200);
    const link = new URL(made.body.url, 'http://x').searchParams.get('link')!;
    // its own path: authenticated (404: no such dossier), not 401
    expect((await h.http.get(made.body.url)).status).toBe(404);
    // another file, a JSON route, or as a bearer token: refused
    expect((await h.http.get(`/api/dossiers/OTHER/slips/receipt?link=${link}`)).status).toBe(401);
    expect((await h.http.get(`/api/auth/me?link=${link}`)).status).toBe(401);
    expect((await me(`Bearer ${link}`)).status).toBe(401);
    // the log says a link was used, never which
    expect(logged.join('')).not.toContain(link);
    // and a minute later it is dead
    h.clock.advance(61_000);
    expect((await h.http.get(made.body.url)).status).toBe(401);
    h.clock.advance(-61_000);
    // paths outside the API are not signed
    expect((await h.http.post('/api/auth/download-link').set('Authorization', bearer).send({ path: 'https://evil.example/x' })).status).toBe(422);
  });
});

describe('revocation', () => {
  it('should revoke every token and download link of the user on logout', async () => {
    const first = await login(h, 'mai');
    const second = await login(h, 'mai');
    const link = await h.http.post('/api/auth/download-link').set('Authorization', first).send({ path: '/api/dossiers/X/slips/receipt' });
    expect((await me(first)).status).toBe(200);
    const out = await h.http.post('/api/auth/logout').set('Authorization', first);
    expect(out.status).toBe(204);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
    expect((await h.http.get(link.body.url)).status).toBe(401);
    // a new login works again
    expect((await me(await login(h, 'mai'))).status).toBe(200);
  });

  it('should revoke the tokens of a user whose password an administrator resets, or who is deactivated', async () => {
    const admin = await login(h, 'admin');
    const tuan = await login(h, 'tuan');
    expect((await h.http.post('/api/users/u-tuan/password').set('Authorization', admin).send({ password: 'Một-mật-khẩu-mới-2026' })).status).toBe(204);
    expect((await me(tuan)).status).toBe(401);
    const hung = await login(h, 'hung');
    expect((await h.http.patch('/api/users/u-hung').set('Authorization', admin).send({ active: false })).status).toBe(200);
    expect((await me(hung)).status).toBe(401);
    expect((await h.http.patch('/api/users/u-hung').set('Authorization', admin).send({ active: true })).status).toBe(200);
    // the old token stays dead after reactivation
    expect((await me(hung)).status).toBe(401);
  });

  it('should end the other sessions when a user changes their own password, and keep this one', async () => {
    await seedPeople(h, [{ username: 'khoa', grants: [{ role: 'desk', unit: UNIT }] }]);
    const laptop = await login(h, 'khoa');
    const phone = await login(h, 'khoa');
    // a stolen token alone cannot change the password
    const guess = await h.http.post('/api/auth/password').set('Authorization', phone).send({ currentPassword: 'guess', newPassword: 'Một-mật-khẩu-khác-2026' });
    expect(guess.status).toBe(403);
    expect(guess.body.error.issues[0].path).toBe('/currentPassword');
    const changed = await h.http.post('/api/auth/password').set('Authorization', laptop).send({ currentPassword: 'khoa-pass', newPassword: 'Một-mật-khẩu-khác-2026' });
    expect(changed.status).toBe(200);
    expect((await me(phone)).status).toBe(401);
    expect((await me(laptop)).status).toBe(401);
    expect((await me(`Bearer ${changed.body.token as string}`)).status).toBe(200);
    expect((await h.http.post('/api/auth/login').send({ username: 'khoa', password: 'khoa-pass' })).status).toBe(401);
  });
});

describe('the refresh cookie', () => {
  it('should be httpOnly, SameSite=Strict, sent only to /api/auth, with a CSRF cookie the page can read', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
    const refresh = cookie(res, 'motcua_refresh')!;
    expect(refresh).toMatch(/HttpOnly/);
    expect(refresh).toMatch(/SameSite=Strict/);
    expect(refresh).toMatch(/Path=\/api\/auth/);
    expect(refresh).not.toMatch(/Secure/); // http://localhost
    const csrf = cookie(res, 'motcua_csrf')!;
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/SameSite=Strict/);
    // the refresh token is not a bearer token
    expect((await me(`Bearer ${value(refresh)}`)).status).toBe(401);
  });

  it('should be Secure when the public address is https', async () => {
    const secure = await createHarness({ config: { publicUrl: 'https://motcua.example.gov.vn' } });
    try {
      await seedPeople(secure, [{ username: 'lan', grants: [{ role: 'desk', unit: UNIT }] }]);
      const res = await secure.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
      expect(cookie(res, 'motcua_refresh')).toMatch(/; Secure/);
      expect(cookie(res, 'motcua_csrf')).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('should refresh only with the CSRF header, and not after logout', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
    const jar = `motcua_refresh=${value(cookie(res, 'motcua_refresh'))}; motcua_csrf=${value(cookie(res, 'motcua_csrf'))}`;
    const csrf = value(cookie(res, 'motcua_csrf'));
    // a cross-site form post carries the cookie (were SameSite ignored) but cannot set the header
    const forged = await h.http.post('/api/auth/refresh').set('Cookie', jar);
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatchObject({ code: 'CSRF_MISMATCH', message: { vi: expect.any(String), en: expect.any(String) } });
    expect((await h.http.post('/api/auth/refresh').set('Cookie', jar).set('X-CSRF-Token', 'a-guess')).status).toBe(403);
    const forgedLogout = await h.http.post('/api/auth/logout').set('Cookie', jar);
    expect(forgedLogout.status).toBe(403);
    // the page, echoing the CSRF cookie, gets a fresh access token
    const ok = await h.http.post('/api/auth/refresh').set('Cookie', jar).set('X-CSRF-Token', csrf);
    expect(ok.status).toBe(200);
    expect((await me(`Bearer ${ok.body.token as string}`)).body).toMatchObject({ username: 'lan' });
    // signing out with the cookie revokes it: the next refresh is refused
    const jar2 = `motcua_refresh=${value(cookie(ok, 'motcua_refresh'))}`;
    const csrf2 = value(cookie(ok, 'motcua_csrf'));
    expect((await h.http.post('/api/auth/logout').set('Cookie', jar2).set('X-CSRF-Token', csrf2)).status).toBe(204);
    const after = await h.http.post('/api/auth/refresh').set('Cookie', jar2).set('X-CSRF-Token', csrf2);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('NO_SESSION');
    expect((await me(`Bearer ${ok.body.token as string}`)).status).toBe(401);
  });

  it('should let two tabs restore one session at once: a refresh keeps the anti-forgery value', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
    const csrf = value(cookie(res, 'motcua_csrf'));
    const jar = `motcua_refresh=${value(cookie(res, 'motcua_refresh'))}`;
    // both tabs send the cookie and header they read before either answer came back
    const [a, b] = await Promise.all([0, 1].map(() => h.http.post('/api/auth/refresh').set('Cookie', jar).set('X-CSRF-Token', csrf)));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    // and a tab holding the newer refresh cookie still echoes the same value
    expect(value(cookie(a!, 'motcua_csrf'))).toBe(csrf);
    const later = await h.http.post('/api/auth/refresh').set('Cookie', `motcua_refresh=${value(cookie(b!, 'motcua_refresh'))}`).set('X-CSRF-Token', csrf);
    expect(later.status).toBe(200);
  });

  it('should sign out with the cookie when the access token has already expired', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' });
    h.clock.advance(9 * 3600_000);
    try {
      const out = await h.http.post('/api/auth/logout').set('Authorization', `Bearer ${res.body.token as string}`)
        .set('Cookie', `motcua_refresh=${value(cookie(res, 'motcua_refresh'))}`).set('X-CSRF-Token', value(cookie(res, 'motcua_csrf')));
      expect(out.status).toBe(204);
      const again = await h.http.post('/api/auth/refresh')
        .set('Cookie', `motcua_refresh=${value(cookie(res, 'motcua_refresh'))}`).set('X-CSRF-Token', value(cookie(res, 'motcua_csrf')));
      expect(again.status).toBe(401);
    } finally {
      h.clock.advance(-9 * 3600_000);
    }
  });
});

describe('caching and metrics', () => {
  it('should mark personal answers no-store and let the public catalog be cached briefly', async () => {
    const bearer = await login(h, 'lan');
    expect((await me(bearer)).headers['cache-control']).toBe('no-store');
    expect((await h.http.get('/api/dossiers').set('Authorization', bearer)).headers['cache-control']).toBe('no-store');
    expect((await h.http.post('/api/auth/login').send({ username: 'lan', password: 'lan-pass' })).headers['cache-control']).toBe('no-store');
    expect((await h.http.get('/api/public/dossiers/NO-SUCH')).headers['cache-control']).toBe('no-store');
    expect((await h.http.get('/api/public/procedures')).headers['cache-control']).toBe('public, max-age=60');
  });

  it('should serve /metrics only with the metrics token', async () => {
    expect((await h.http.get('/metrics')).status).toBe(401);
    expect((await h.http.get('/metrics').set('Authorization', await login(h, 'admin'))).status).toBe(401);
    const ok = await h.http.get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('motcua_http_request_duration_seconds');
    const none = await createHarness();
    try {
      expect((await none.http.get('/metrics')).status).toBe(404);
    } finally {
      await none.close();
    }
  });

  it('should serve /metrics without a token on the internal listener, and nothing else there', async () => {
    const internal = await serveMetrics(h.app.metrics, 0, '127.0.0.1');
    try {
      const { port } = internal.address() as AddressInfo;
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('motcua_http_request_duration_seconds');
      expect((await fetch(`http://127.0.0.1:${port}/api/auth/me`)).status).toBe(404);
    } finally {
      await new Promise<void>((ok) => { internal.close(() => ok()); internal.closeAllConnections(); });
    }
  });
});
