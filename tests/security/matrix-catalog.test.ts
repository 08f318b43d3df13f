/**
 * The province's procedure catalog and the roles that write it, tried by every officer: every
 * catalog write route (generated from the route table) as a commune's designer or
 * administrator against the province's, the catalog owner setting, and grants (outside the
 * granter's subtree, above the granter's own role).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { ANPHU, JUSTICE, PEOPLE, PROVINCE, TANLAP, Tally, XNHN, createWorld, callAs, type World } from './support/world';

let w: World;
const tally = new Tally('catalog and grants (route × officer)');
const definition = JSON.parse(readFileSync(new URL(`../../procedures/${XNHN}/procedure.json`, import.meta.url), 'utf8')) as { id: string; version: number };

beforeAll(async () => { w = await createWorld(); });
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

const call = (method: string, path: string, who: string): Test => callAs(w, method, path, who);

/** Catalog write routes, from the route table: every non-GET route of the catalog except the dry-run validation. */
const writeRoutes = () => w.h.app.api.routes.map((r) => r.spec)
  .filter((s) => s.method !== 'get' && s.tags.includes('catalog') && !s.path.endsWith('/validate') && !s.path.startsWith('/api/settings'));

/** Versions that do not exist: a writer gets past the authorisation check and no further, so the catalog is left as it is. */
const concrete = (path: string) => path.replace(':id', definition.id).replace(':version', '999');

/** A body that passes each route's schema, so that the authorisation check decides. */
function bodyOf(path: string): object {
  if (path === '/api/procedures' || path.endsWith('/versions/:version')) return { definition: { id: definition.id } };
  if (path.endsWith('/drafts')) return { from: 999 };
  if (path.endsWith('/publish')) return { effectiveFrom: '2026-04-01' };
  if (path === '/api/catalog/import') return { procedures: [] };
  if (path.includes('/migrations')) return { from: 998, to: 999, steps: {} };
  return {};
}

describe('catalog writes belong to the unit that owns the catalog', () => {
  it('should refuse every catalog write to a commune\'s designer or administrator and to other units, and let the province\'s through', async () => {
    const routes = writeRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(6);
    const writers = new Set(['pAdmin', 'pDesigner']);
    for (const spec of routes) {
      for (const p of PEOPLE) {
        const res = await call(spec.method, concrete(spec.path), p.username).send(bodyOf(spec.path));
        expect(res.status, `${p.username} ${spec.method} ${spec.path}`).not.toBe(500);
        // got in = the request passed authorisation (anything but 401/403)
        // importing a whole catalog is for administrators only
        const allowed = writers.has(p.username) && (Array.isArray(spec.access) ? p.grants.some((g) => (spec.access as string[]).includes(g.role)) : true);
        tally.record(`${p.username} ${spec.method} ${spec.path}`, allowed, ![401, 403].includes(res.status));
      }
    }
  });

  it('should let only the province\'s administrator name another owner, within the province, and follow it', async () => {
    const put = (who: string, unit: string) => call('put', '/api/settings/catalog-owner', who).send({ unit });
    for (const p of PEOPLE) {
      const res = await put(p.username, ANPHU);
      tally.record(`${p.username} names An Phú catalog owner`, p.username === 'pAdmin', res.status === 200);
      if (res.status === 200) expect((await put('pAdmin', PROVINCE)).status).toBe(200);
    }
    expect((await put('pAdmin', '000.00.07.H99')).status).toBe(422);
    // the province names its Department of Justice: the province's administrator (above it) still writes, a designer named there too
    expect((await put('pAdmin', JUSTICE)).body).toMatchObject({ unit: JUSTICE, source: 'setting' });
    const draft = (who: string) => call('post', `/api/procedures/${definition.id}/drafts`, who).send({});
    tally.record('anDesigner drafts (owner: justice)', false, ![401, 403].includes((await draft('anDesigner')).status));
    tally.record('pDesigner drafts (owner: justice)', true, ![401, 403].includes((await draft('pDesigner')).status));
    expect((await put('pAdmin', PROVINCE)).status).toBe(200);
    const log = await call('get', '/api/audit?subject=catalog.owner', 'pAdmin');
    expect(log.body.items.length).toBeGreaterThanOrEqual(3);
  });
});

describe('grants stay inside the granter\'s subtree and below the granter\'s own role', () => {
  const user = (n: number, grants: object[]) => ({ username: `moi${n}`, name: `Người mới ${n}`, password: 'mat-khau-rat-dai-2026', grants });

  it('should refuse a commune administrator roles outside their commune or above their own, and let the province\'s through', async () => {
    let n = 0;
    const cases: [string, object[], boolean][] = [
      ['anAdmin', [{ role: 'desk', unit: ANPHU }], true],
      ['anAdmin', [{ role: 'admin', unit: ANPHU }], true],
      ['anAdmin', [{ role: 'specialist', unit: TANLAP }], false],
      ['anAdmin', [{ role: 'admin', unit: PROVINCE }], false],
      ['anAdmin', [{ role: 'designer', unit: ANPHU }], false],
      ['anAdmin', [{ role: 'designer', unit: PROVINCE }], false],
      ['bhxhAdmin', [{ role: 'desk', unit: ANPHU }], false],
      ['bhxhAdmin', [{ role: 'designer', unit: '000.00.07.H99' }], false],
      ['pAdmin', [{ role: 'designer', unit: PROVINCE }], true],
      ['pAdmin', [{ role: 'leader', unit: TANLAP, position: 'head' }], true],
    ];
    for (const [who, grants, allowed] of cases) {
      const res = await call('post', '/api/users', who).send(user(n++, grants));
      expect(res.status, JSON.stringify(res.body)).not.toBe(500);
      tally.record(`${who} creates a user with ${JSON.stringify(grants)}`, allowed, res.status === 201);
    }
    // nor by changing an existing account: An Phú's desk officer made a designer by their own administrator
    const mint = await call('patch', '/api/users/u-lan', 'anAdmin').send({ grants: [{ role: 'desk', unit: ANPHU }, { role: 'designer', unit: ANPHU }] });
    tally.record('anAdmin adds designer to u-lan', false, mint.status === 200);
    const self = await call('patch', '/api/users/u-anAdmin', 'anAdmin').send({ grants: [{ role: 'admin', unit: ANPHU }, { role: 'designer', unit: ANPHU }] });
    tally.record('anAdmin makes themselves designer', false, self.status === 200);
    // the designer a commune already has stays when its administrator edits other roles
    const keep = await call('patch', '/api/users/u-anDesigner', 'anAdmin').send({ grants: [{ role: 'designer', unit: ANPHU }, { role: 'desk', unit: ANPHU }] });
    tally.record('anAdmin keeps anDesigner\'s designer role', true, keep.status === 200);
  });
});
