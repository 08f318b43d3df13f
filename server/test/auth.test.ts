import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, seedPeople, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedPeople(h, [{ username: 'lan', grants: [{ role: 'desk', unit: '000.01.31.H99' }] }]);
});
afterAll(async () => h.close());

describe('auth', () => {
  it('should sign in and return the user with roles per unit', async () => {
    const auth = await login(h, 'lan');
    const me = await h.http.get('/api/auth/me').set('Authorization', auth);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'lan', grants: [{ role: 'desk', unit: '000.01.31.H99' }] });
  });

  it('should refuse a wrong password with a message in both languages', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: 'lan', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'BAD_CREDENTIALS', message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('should reject an expired token using the injected clock', async () => {
    const auth = await login(h, 'lan');
    h.clock.advance(9 * 3600 * 1000);
    const res = await h.http.get('/api/auth/me').set('Authorization', auth);
    expect(res.status).toBe(401);
    h.clock.advance(-9 * 3600 * 1000);
  });

  it('should answer malformed JSON and bad bodies with 400/422 and JSON pointers', async () => {
    const bad = await h.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_JSON');
    const wrong = await h.http.post('/api/auth/login').send({ username: 5 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['/username', '/password']));
  });

  it('should serve health, readiness, metrics, the OpenAPI document and security headers', async () => {
    expect((await h.http.get('/healthz')).status).toBe(200);
    expect((await h.http.get('/readyz')).body.status).toBe('ready');
    const doc = await h.http.get('/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/auth/login'].post.requestBody).toBeDefined();
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
    expect((await h.http.get('/api/nowhere')).status).toBe(404);
  });
});
