/**
 * A hostile insider: what a signed-in designer, leader or administrator can send that makes
 * the server's main thread (the event loop every request shares) spend seconds to minutes,
 * or run out of memory. Each input here is the small, fast version of one that costs far
 * more; the figures of the large versions are in the comments (measured through the real
 * app on the development machine, PGlite).
 *
 * These tests describe what the fixes must make true: they FAIL until then.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU, createWorld, receive, xnhnData, XNHN, type World } from './support/world';

type Definition = { [key: string]: unknown } & {
  id: string;
  catalog: { code: string; publishedCode?: string };
  data: { properties: { [field: string]: { [keyword: string]: unknown } } };
  steps: { id: string; actions?: object[] }[];
};

const shipped = JSON.parse(readFileSync(new URL(`../../procedures/${XNHN}/procedure.json`, import.meta.url), 'utf8')) as Definition;
const fresh = (): Definition => structuredClone(shipped);

/**
 * The shipped procedure plus `n` task steps where each may go forward to every other and
 * leaves only by a "rework" action (which the legal-time route walk skips): the walk
 * (engine/src/analysis/casePaths.ts) never reaches a final step, so its cap on completed
 * routes (MAX_PATHS) never applies, and it tries every route visiting each step at most twice.
 */
function clique(n: number): Definition {
  const def = fresh();
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  def.steps.find((s) => s.id === 'verify')!.actions!.push({ id: 'detour', label: { vi: 'd', en: 'd' }, intent: 'proceed', target: 's0' });
  def.steps.push(...ids.map((id) => ({
    id, kind: 'task', role: 'specialist', name: { vi: id, en: id }, sla: { hours: 1 },
    actions: [
      ...ids.filter((o) => o !== id).map((o) => ({ id: `to${o}`, label: { vi: o, en: o }, intent: 'proceed', target: o })),
      { id: 'back', label: { vi: 'b', en: 'b' }, intent: 'rework', target: 'verify' },
    ],
  })));
  return def;
}

/** The shipped procedure with `n` more actions on one step, each with its own small inputs schema. */
function manySchemas(n: number): Definition {
  const def = fresh();
  const verify = def.steps.find((s) => s.id === 'verify')!;
  for (let i = 0; i < n; i++) {
    verify.actions!.push({ id: `a${i}`, label: { vi: 'x', en: 'x' }, intent: 'proceed', target: 'sign', inputs: { type: 'object', properties: { x: { type: 'string', format: 'date' } } } });
  }
  return def;
}

/** An XLSX whose sheet has `rows` rows of one cell each, in the sheet's last column (XFD). */
async function wideXlsx(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('s');
  for (let i = 1; i <= rows; i++) sheet.getCell(`XFD${i}`).value = 1;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let w: World;
beforeAll(async () => { w = await createWorld(); });
afterAll(async () => w.h.close());

const as = (who: string) => w.auth[who]!;
const issuesOf = (body: { issues?: { path: string }[]; error?: { issues?: { path: string }[] } }) => body.issues ?? body.error?.issues ?? [];

describe('a hostile insider', () => {
  // Hole 1. POST /api/stats/imports, any leader or administrator of a unit (a commune's deputy
  // chair here). ExcelJS reads the whole sheet on the main thread (server/src/stats/imports.ts,
  // gridOf) and the walk asks every row for `cellCount` cells, making each one: a row whose
  // one cell sits in column XFD costs 16,384 cells. Measured: 200 rows (a 6.8 KB file) 6.3 s
  // of CPU and 900 MB of heap for one request; 2,000 rows (16 KB) exhaust the 4 GB heap after
  // two minutes and the process dies (FATAL ERROR: Reached heap limit).
  // The fix must make true: a cell beyond the form's last column is refused by its place
  // (before any cell is made), e.g. a 422 IMPORT_INVALID whose first issue points at
  // /file/rows/1/XFD; and the file is read off the main thread, bounded in time and memory
  // (as server/src/dossiers/inspect.ts does for uploads).
  it('should refuse a figures file with cells beyond form II.06a\'s columns, naming the first one, without building the empty cells before it', async () => {
    const file = await wideXlsx(20);
    const res = await w.h.http.post('/api/stats/imports').set('Authorization', as('tuan')).send({
      unit: ANPHU, from: '2026-01-01', to: '2026-03-31', source: { code: 'bo-tu-phap', name: 'Hệ thống của bộ' },
      file: { name: 'so-lieu.xlsx', content: file.toString('base64') },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('IMPORT_INVALID');
    expect(issuesOf(res.body)[0]?.path).toBe('/file/rows/1/XFD');
  });

  // Hole 2. A catalog writer (the province's designer) publishes a procedure whose data schema
  // has a pattern with catastrophic backtracking; nothing checks patterns
  // (engine/src/definition/checkExpressions.ts, checkEmbeddedSchema, only compiles them).
  // Then every dossier of that procedure validates its data with it on the main thread
  // (engine/src/runtime/apply.ts:94, from POST /api/dossiers or a citizen's online submission):
  // measured through the app, `personName` = 31 × "a" + "!" costs 70 s of CPU in one request
  // (×2 per character more), during which no other request is answered. The designer's
  // trust is "procedures of their own units"; this stops every unit's service.
  // The fix must make true: a definition whose schemas carry a pattern that can backtrack
  // catastrophically (nested or overlapping quantifiers) is refused at save and at validation
  // with an issue at the pattern; better still, patterns run on a linear-time engine (RE2, or
  // Ajv's `code.regExp` option), so no pattern can.
  it('should refuse a definition whose data schema has a pattern with catastrophic backtracking, at validation and at save', async () => {
    const def = fresh();
    def.id = 'redos-probe';
    def.catalog.code = '9.999999';
    def.catalog.publishedCode = '9.999999.000.00.00.H99';
    def.data.properties['personName']!['pattern'] = '^(a+)+$';

    const checked = await w.h.http.post('/api/procedures/validate').set('Authorization', as('anDesigner')).send({ definition: def });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    expect(issuesOf(checked.body).map((i) => i.path)).toContain('/data/properties/personName/pattern');

    const saved = await w.h.http.post('/api/procedures').set('Authorization', as('pDesigner')).send({ definition: def });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 300)).toBe(422);
    expect(issuesOf(saved.body).map((i) => i.path)).toContain('/definition/data/properties/personName/pattern');
  });

  // Hole 3. POST /api/procedures/validate, any designer or administrator at any unit (not only
  // the catalog's writers: a commune's designer here). For a definition that validates, the
  // server runs `analyze` on the main thread; its legal-time route walk
  // (engine/src/analysis/casePaths.ts, checkCasePaths) stops only after MAX_PATHS routes that
  // *reach a final step*. Steps that only leave by "rework" never reach one, so the walk tries
  // every route through them. Measured through the app: 5 such steps 0.17 s, 6 steps 1 s,
  // 7 steps (a 20 KB definition) 80 s of CPU, 8 steps hours. The same walk runs at publish
  // (gate.ts), GET /api/procedures/:id/versions/:v/metrics (any designer or admin, on a draft a
  // writer saved) and the catalog import.
  // The fix must make true: the walk counts every step it expands against a budget, stops
  // there, and says so with a finding (its code naming the cut: e.g. AN_SLA_PATHS_TRUNCATED),
  // so the answer comes at once whatever the graph.
  it('should bound the legal-time route walk of a definition whose steps leave only by rework, and say the walk was cut', async () => {
    const res = await w.h.http.post('/api/procedures/validate').set('Authorization', as('anDesigner')).send({ definition: clique(6) });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const codes = (res.body.analysis.findings as { code: string }[]).map((f) => f.code);
    expect(codes.some((c) => /TRUNCATED|NOT_EXHAUSTIVE|TOO_MANY/.test(c)), codes.join(', ')).toBe(true);
  });

  // Hole 4. POST /api/procedures/validate (any designer or administrator at any unit), also
  // POST /api/procedures and PUT .../versions/:v (writers): nothing bounds how many steps,
  // actions or embedded schemas a definition has, and the checker compiles every embedded
  // schema with a fresh Ajv (engine/src/definition/checkExpressions.ts:34, Ajv code generation
  // plus ajv-formats each time). Measured through the app: 1,000 actions with a small inputs
  // schema (170 KB) 1.2 s of CPU, 5,000 (800 KB, under the 1 MB body limit) 2.4 s per request,
  // repeatable at will; compiling it (directory.ts, a dossier's first request) costs 10 s more.
  // The fix must make true: the procedure schema caps steps, actions per step and schemas
  // (a few hundred at most; the shipped procedures have under ten actions a step), refusing
  // more with an issue at the list; and the checker reuses one Ajv.
  it('should refuse a definition with hundreds of actions on one step', async () => {
    const res = await w.h.http.post('/api/procedures/validate').set('Authorization', as('anDesigner')).send({ definition: manySchemas(300) });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(issuesOf(res.body).some((i) => i.path.startsWith('/steps/2/actions')), JSON.stringify(issuesOf(res.body).slice(0, 3))).toBe(true);
  });

  // Hole 5. The catalog's writer (the province's designer) publishes a procedure whose JSON Logic
  // expressions take unbounded work: nothing but the operators and the nesting depth is checked
  // (engine/src/expr/jsonLogic.ts, checkRule), and json-logic-js evaluates on the main thread
  // on every action. Nested `map`s over literal lists multiply: depth 6 over ten items builds a
  // million-element array (0.3 s), depth 8 a hundred million (minutes, then the heap is gone).
  // A `reduce` whose body repeats its accumulator doubles the value each turn in a few steps:
  // 24 turns make a value of 16 million leaves (as JSON, 64 MB written to the dossier), 30 turns
  // exhaust the heap when the dossier is stored, and the process dies.
  // The fix must make true: an evaluation stops past a bound on its steps and on the size of
  // what it builds, and the action is refused with a clear 4xx (RULE_TOO_COSTLY), storing nothing.
  it('should stop a procedure\'s expression that multiplies its work or its value, refusing the action and storing nothing', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => i);
    let nested: unknown = { var: '' };
    for (let i = 0; i < 6; i++) nested = { map: [ten, nested] };
    const doubling = { reduce: [Array.from({ length: 24 }, (_, i) => i), [{ var: 'accumulator' }, { var: 'accumulator' }], 0] };

    type Action = { id: string; guard?: unknown; effects?: object[] };
    const def = fresh();
    def.id = 'costly-rules';
    def.catalog.code = '9.999998';
    def.catalog.publishedCode = '9.999998.000.00.00.H99';
    const verify = def.steps.find((s) => s.id === 'verify')!;
    const actions = verify.actions as Action[];
    const propose = actions.find((a) => a.id === 'propose')!;
    propose.guard = { '!!': [nested] };
    const rejection = actions.find((a) => a.id === 'proposeRejection')!;
    rejection.effects = [...(rejection.effects ?? []), { type: 'set', path: 'note', value: doubling }];

    const saved = await w.h.http.post('/api/procedures').set('Authorization', as('pDesigner')).send({ definition: def });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 300)).toBe(201);
    const published = await w.h.http.post(`/api/procedures/${def.id}/versions/1/publish`).set('Authorization', as('pDesigner')).send({});
    expect(published.status, JSON.stringify(published.body).slice(0, 300)).toBe(200);

    const d = await receive(w, 'lan', {
      procedureId: def.id, channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' }, data: xnhnData,
    });
    for (const [action, inputs] of [['propose', { certificateNo: '1/2026' }], ['proposeRejection', { reason: 'Không đủ điều kiện' }]] as const) {
      const res = await w.h.http.post(`/api/dossiers/${encodeURIComponent(d.id)}/actions`).set('Authorization', as('hung')).send({ step: 'verify', action, inputs });
      expect(res.status, `${action}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(422);
      expect(res.body.error.code).toBe('RULE_TOO_COSTLY');
      expect(res.body.error.message.vi).toBeTruthy();
      expect(res.body.error.message.en).toBeTruthy();
    }
    const view = await w.h.http.get(`/api/dossiers/${encodeURIComponent(d.id)}`).set('Authorization', as('hung'));
    expect(view.status).toBe(200);
    expect(view.body.version).toBe(d.version);
  });
});
