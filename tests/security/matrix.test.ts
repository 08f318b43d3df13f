/**
 * Every registered route, generically: who may call it (anonymous → 401, a role the route
 * does not allow → 403) and what bad input gets (malformed JSON → 400, wrong types → 4xx)
 * — never a 500. New routes join the matrix by being registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { createHarness, login, seedPeople, type Harness } from '../../server/test/support/harness';
import { ROLES } from '../../server/src/auth/middleware';
import { Tally } from './support/world';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
let h: Harness;
let everyone = '';
let deskOnly = '';
const tally = new Tally('every route (route × role: anonymous, desk officer)');

beforeAll(async () => {
  h = await createHarness();
  await seedPeople(h, [
    { username: 'super', grants: ROLES.map((role) => ({ role, unit: PROVINCE })) },
    { username: 'desk', grants: [{ role: 'desk', unit: ANPHU }] },
  ]);
  everyone = await login(h, 'super');
  deskOnly = await login(h, 'desk');
});
afterAll(async () => {
  tally.assert();
  await h.close();
});

const concrete = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (name === 'kind' ? 'receipt' : name === 'year' ? '2026' : name === 'scope' ? '*' : 'khong-co'));

function call(method: string, path: string, auth?: string) {
  const agent = h.http as unknown as { [m: string]: (p: string) => Test };
  const req = (agent[method] as (p: string) => Test)(path);
  return auth ? req.set('Authorization', auth) : req;
}

describe('every route', () => {
  it('should refuse anonymous callers on every non-public route with 401', async () => {
    const routes = h.app.api.routes.map((r) => r.spec).filter((s) => s.access !== 'public');
    expect(routes.length).toBeGreaterThan(20);
    for (const spec of routes) {
      const res = await call(spec.method, concrete(spec.path)).send({});
      tally.record(`anonymous ${spec.method} ${spec.path}`, false, res.status !== 401);
      expect(res.status, `${spec.method} ${spec.path}`).toBe(401);
    }
  });

  it('should refuse a desk officer on routes of other roles with 403', async () => {
    const routes = h.app.api.routes.map((r) => r.spec).filter((s) => Array.isArray(s.access) && !s.access.includes('desk'));
    expect(routes.length).toBeGreaterThan(10);
    for (const spec of routes) {
      const res = await call(spec.method, concrete(spec.path), deskOnly).send({});
      tally.record(`desk ${spec.method} ${spec.path}`, false, res.status !== 403);
      expect(res.status, `${spec.method} ${spec.path}`).toBe(403);
    }
  });

  it('should answer malformed JSON with 400 and wrong types with 4xx, never 500', async () => {
    // Routes that read no body (logout, downloads by POST) have nothing to refuse; logout would
    // also revoke the token every later call uses.
    const routes = h.app.api.routes.map((r) => r.spec).filter((s) => s.method !== 'get' && s.body !== undefined);
    for (const spec of routes) {
      const path = concrete(spec.path);
      const malformed = await call(spec.method, path, everyone).set('Content-Type', 'application/json').send('{"oops": ');
      expect(malformed.status, `${spec.method} ${spec.path} malformed`).toBe(400);
      for (const body of [[], { unexpected: { deep: [1, 2, 3] } }, { name: 42, definition: 'x', items: 'y', score: 'z' }]) {
        const res = await call(spec.method, path, everyone).send(body);
        expect(res.status, `${spec.method} ${spec.path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${spec.method} ${spec.path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(res.body.error?.message?.vi, `${spec.method} ${spec.path}`).toBeTruthy();
      }
    }
  });

  it('should answer unknown ids and bad query strings on every GET with 4xx, never 500', async () => {
    for (const spec of h.app.api.routes.map((r) => r.spec).filter((s) => s.method === 'get')) {
      const res = await call('get', `${concrete(spec.path)}?page=-1&pageSize=abc&from=notadate&to=2026-13-45`, everyone);
      expect(res.status, `${spec.path} → ${JSON.stringify(res.body).slice(0, 300)}`).not.toBe(500);
    }
  });
});
