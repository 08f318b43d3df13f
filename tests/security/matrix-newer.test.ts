/**
 * The newer surfaces, tried by every officer of the hostile world (support/world.ts): the result
 * draft a leader's approval signs (the competent unit's specialists only, not a delegate whose own
 * specialist grant is elsewhere), a provincial parameter never starting before it was set, the
 * migration's dry run (writes nothing) and its application (catalog writers only, real versions),
 * and signing keys in no answer of any route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { ANPHU, BHXH, BINHMINH, PROVINCE, TANLAP, Tally, XNHN, createWorldWithDelegate, gotIn, receive, xnhnData, callAs, officerMatrix, type World } from './support/world';
import { changed, digest } from './support/db';
import { ensureDemoPki } from '../../server/src/esign/keys';
import { signingKeys } from '../../server/src/db/schema';

let w: World;
const tally = new Tally('result drafts, parameters, migrations, keys (route × officer)');

beforeAll(async () => { w = await createWorldWithDelegate(); });
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

const call = (method: string, path: string, who: string): Test => callAs(w, method, path, who);

const matrix = (what: string, may: Set<string>, attempt: (who: string) => Promise<{ status: number; body: unknown }>): Promise<void> =>
  officerMatrix(w, tally, what, may, attempt);

/** An unsigned PDF as far as the draft's checks go (its header, no signature). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const anPhuDossier = (id: string) => ({ procedureId: XNHN, channel: 'direct', receivingUnit: ANPHU, applicant: { id, name: 'Đỗ Thị Hạnh' }, data: xnhnData, accept: true });

describe('the result draft the leader signs', () => {
  it('should let only a specialist of the competent unit upload it, not a delegate whose own specialist grant is at another commune', { timeout: 120_000 }, async () => {
    const d = await receive(w, 'lan', anPhuDossier('079196004190'));
    // dIn sees the dossier through An Phú's delegated leader role; their specialist grant is Tân Lập's
    await matrix('uploads An Phú\'s result draft', new Set(['hung']), (who) =>
      call('post', `/api/dossiers/${encodeURIComponent(d.id)}/result-draft`, who).attach('file', PDF, 'kq.pdf'));
    const info = await call('get', `/api/dossiers/${encodeURIComponent(d.id)}/result-draft`, 'chu');
    expect(info.body).toMatchObject({ uploadedBy: 'u-hung' });
  });

  // The leader reads the draft's file (GET …/result-draft/file) and, while the dossier waits at the
  // signing step, nobody can replace it (409 DRAFT_LOCKED): server/test/esign-sign.test.ts.
});

describe('provincial parameters start when they are set, never before', () => {
  it('should record a value sent a minute "in the past" (a screen\'s clock behind) as starting now', async () => {
    const now = w.h.clock.now().getTime();
    const res = await call('post', '/api/parameters', 'pAdmin').send({ key: 'fee.attack-skew', scope: '*', value: 5, effectiveFrom: new Date(now - 50_000).toISOString() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tally.record('pAdmin starts a parameter 50 s before now', false, Date.parse(res.body.effectiveFrom) < now);
    // what applied 20 seconds ago (dossiers received then recorded it) is still what the record says
    const then = await call('get', `/api/parameters/in-force?unit=${ANPHU}&keys=fee.attack-skew&at=${new Date(now - 20_000).toISOString()}`, 'lan');
    expect(then.body).toEqual({ values: {} });
  });

  it('should refuse a fee that is not whole VND, or more than a payment holds', async () => {
    for (const value of [8000.5, 1e308, 2_147_483_648]) {
      const before = await digest(w.h);
      const res = await call('post', '/api/parameters', 'pAdmin').send({ key: 'fee.attack-amount', scope: '*', value });
      tally.record(`pAdmin sets a fee of ${value}`, false, res.status === 201);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/value']);
      expect(changed(before, await digest(w.h))).toEqual([]);
    }
    expect((await call('post', '/api/parameters', 'pAdmin').send({ key: 'fee.attack-amount', scope: '*', value: 2_147_483_647 })).status).toBe(201);
  });
});

describe('moving open dossiers to a new version', () => {
  it('should run the dry run without writing anything, and let only the catalog\'s writers plan or apply with real versions', { timeout: 180_000 }, async () => {
    await receive(w, 'lan', anPhuDossier('079196004191'));
    await receive(w, 'bmDesk', { ...anPhuDossier('079196004192'), receivingUnit: BINHMINH });
    const draft = await call('post', `/api/procedures/${XNHN}/drafts`, 'pDesigner').send({});
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const to = draft.body.version as number;
    const plan = { from: 1, to, steps: {} };
    const before = await digest(w.h);
    const dry = await call('post', `/api/procedures/${XNHN}/migrations/dry-run`, 'pAdmin').send(plan);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.counts.open).toBeGreaterThanOrEqual(2);
    expect(changed(before, await digest(w.h)), 'the dry run wrote').toEqual([]);
    const writers = new Set(['pAdmin', 'pDesigner']);
    await matrix('dry-runs a migration of the province\'s catalog', writers, (who) => call('post', `/api/procedures/${XNHN}/migrations/dry-run`, who).send(plan));
    // applying to a draft is refused even for a writer (409); everyone else before that (403), all with nothing written
    await matrix('applies a migration', new Set(), async (who) => {
      const res = await call('post', `/api/procedures/${XNHN}/migrations`, who).send({ ...plan, expect: { moves: dry.body.counts.moves } });
      if (writers.has(who)) expect(res.status, JSON.stringify(res.body)).toBe(409);
      return { status: writers.has(who) ? 403 : res.status, body: res.body };
    });
  });
});

describe('signing keys', () => {
  it('should return no private key, encrypted or not, from any route an administrator can read', { timeout: 120_000 }, async () => {
    await ensureDemoPki(w.h.deps);
    const keys = (await w.h.deps.db.select({ k: signingKeys.privateKey }).from(signingKeys)).map((r) => r.k).filter((k): k is string => !!k);
    expect(keys.length).toBeGreaterThan(3);
    const routes = w.h.app.api.routes.map((r) => r.spec).filter((s) => s.method === 'get' && !s.path.includes(':'));
    expect(routes.length).toBeGreaterThan(20);
    for (const who of ['pAdmin', 'anAdmin', 'chu']) {
      for (const spec of routes) {
        const res = await call('get', spec.path, who).buffer(true);
        const text = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('latin1') : JSON.stringify(res.body));
        const leaks = /PRIVATE KEY|privateKey|private_key/.test(text) || keys.some((k) => text.includes(k.slice(0, 40)));
        tally.record(`${who} GET ${spec.path} returns key material`, false, leaks);
      }
    }
  });
});

describe('impossible days and instants on the newer read routes', () => {
  it('should answer a 4xx with a pointer, never a 500, to a day or instant that is none', { timeout: 60_000 }, async () => {
    const cases: [string, string][] = [
      ['/api/payments/reconciliation?from=2026-13-01&to=2026-13-01', '/from'],
      ['/api/payments/reconciliation?from=2026-01-01&to=2026-02-30', '/to'],
      ['/api/payments/reconciliation?from=0000-01-01&to=0000-01-02', '/from'],
      [`/api/parameters/in-force?unit=${ANPHU}&keys=fee.a&at=0000-01-01T00:00:00Z`, '/at'],
    ];
    for (const [path, pointer] of cases) {
      const res = await call('get', path, 'pAdmin');
      tally.record(`GET ${path} answers ${res.status}`, false, res.status >= 500 || res.status < 400);
      expect([400, 422], `${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(pointer);
      expect(res.body.error.message.vi).toBeTruthy();
    }
  });
});

describe('the units screen', () => {
  it('should let no administrator edit a unit above or beside their own, nor change the kind of their own unit', { timeout: 180_000 }, async () => {
    let n = 0;
    await matrix('renames the province', new Set(['pAdmin']), (who) => call('patch', `/api/units/${PROVINCE}`, who).send({ name: `Ủy ban nhân dân tỉnh Demo ${n++}` }));
    await matrix('renames Bình Minh', new Set(['pAdmin']), (who) => call('patch', `/api/units/${BINHMINH}`, who).send({ name: `UBND xã Bình Minh ${n++}` }));
    // social insurance's administrator making their top-level unit a "province" became the province's
    // administrator: webhooks (every unit's events), province-wide parameters and templates
    await matrix('makes social insurance a province', new Set(), (who) => call('patch', `/api/units/${BHXH}`, who).send({ kind: 'province' }));
    await matrix('makes An Phú a ward', new Set(['pAdmin']), async (who) => {
      const res = await call('patch', `/api/units/${ANPHU}`, who).send({ kind: 'ward' });
      if (res.status === 200) expect((await call('patch', `/api/units/${ANPHU}`, 'pAdmin').send({ kind: 'commune' })).status).toBe(200);
      return res;
    });
    tally.record('bhxhAdmin manages webhooks after all that', false, gotIn((await call('get', '/api/webhooks', 'bhxhAdmin')).status));
    // an administrator above a unit still sets its kind
    const own = await call('patch', `/api/units/${TANLAP}`, 'pAdmin').send({ kind: 'ward' });
    tally.record('pAdmin changes the kind of a commune below', true, own.status === 200);
    expect((await call('patch', `/api/units/${TANLAP}`, 'pAdmin').send({ kind: 'commune' })).status).toBe(200);
  });
});

describe('webhook subscriptions: every unit\'s events', () => {
  it('should let only the province\'s administrator past any webhook route, from the route table', { timeout: 180_000 }, async () => {
    const routes = w.h.app.api.routes.map((r) => r.spec).filter((s) => s.tags.includes('webhooks'));
    expect(routes.length).toBeGreaterThanOrEqual(7);
    for (const spec of routes) {
      // ids that do not exist: the province's administrator gets past authorisation and no further (404, 422)
      const path = spec.path.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':deliveryId', '1');
      await matrix(`${spec.method} ${spec.path}`, new Set(['pAdmin']), async (who) => {
        // bodies that pass the schemas, so that the authorisation check decides
        const body = spec.method === 'post' && spec.path === '/api/webhooks' ? { url: 'https://93.184.215.14/hook', topics: ['*'], active: false }
          : spec.method === 'patch' ? { active: false } : undefined;
        const res = await call(spec.method, path, who).send(body);
        return { status: [401, 403].includes(res.status) ? 403 : 200, body: res.body };
      });
    }
  });
});
