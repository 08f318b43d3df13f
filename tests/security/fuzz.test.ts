/**
 * A fuzz of request bodies, query strings and path parameters over the whole route table
 * (issue 8, hole 8): hostile text (NUL, lone surrogates, NFD, control and bidi characters,
 * huge and odd numbers, SQL and path tricks), random JSON and JSON nested past the limit,
 * sent as an administrator who holds every role (so requests get past authorisation to the
 * handlers) and anonymously to the public routes. No answer may be a 500, and no log line at
 * warning level or above may carry a value that was sent.
 *
 * Reproducible: the seed is fixed (FUZZ_SEED to explore others, FUZZ_RUNS for more runs per
 * route). The counts are printed for the closing note of the issue.
 *
 * A time budget keeps a loaded 2-core CI machine from timing out (FC_BUDGET_MS, as the
 * engine's properties; 0 = none): once spent, every route left still gets one input, so the
 * whole route table is always covered; on a quiet machine every run happens.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from '../../server/test/support/harness';
import { captureLogs, type CapturedLogs } from './support/logs';
import { figure } from './support/world';

/** 503 codes of services the harness does not configure: answered before any input is read. */
const UNCONFIGURED = new Set(['SSO_NOT_CONFIGURED', 'PAYMENTS_OFF', 'CITIZEN_DATA_NOT_CONFIGURED', 'SIGNING_UNAVAILABLE']);

const SEED = Number(process.env['FUZZ_SEED'] ?? 20260302);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 7);
const BUDGET_MS = Number(process.env['FC_BUDGET_MS'] ?? 20_000);
const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';

let h: Harness;
let logs: CapturedLogs;
let root: string;
let dossierId = '';

beforeAll(async () => {
  logs = captureLogs();
  h = await createHarness({ logger: logs.logger });
  await seedPeople(h, [...ANPHU_STAFF, {
    username: 'root', name: 'Quản trị',
    grants: ['admin', 'designer', 'desk', 'specialist', 'leader'].flatMap((role) => [{ role, unit: PROVINCE }, { role, unit: ANPHU }]),
  }]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  root = await login(h, 'root');
  const made = await h.http.post('/api/dossiers').set('Authorization', root).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
    applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  dossierId = (made.body as { id: string }).id;
});
afterAll(async () => h.close());

// ---- what is sent -----------------------------------------------------------------------

const NASTY = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\u202eexe.fdp', 'Nguye\u0302\u0303n', '\u0007\u001b[31m', '', ' ', '\t\n',
  '1e20', '-1', '0', '1.5', 'NaN', 'Infinity', '-0', '9'.repeat(40), 'true', 'null', '[]', '{}',
  "' or 1=1 --", '"; drop table dossiers; --', '../../../etc/passwd', '%00', '%', '<script>alert(1)</script>', '*', '\\',
  'x'.repeat(5000),
];

const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  // A string with a lone surrogate or NUL somewhere inside.
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud83d', '\ude00'), fc.string({ maxLength: 10 })).map((p) => p.join('')) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(1e20, -1e20, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, -0, 0.5, -1),
  fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const leaf = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null));

/** Random JSON with hostile leaves, a few levels deep. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(hostileText, fc.constantFrom('id', 'name', 'page', 'q')), tie('value'), { maxKeys: 4 }),
})).value;

const deeplyNested = fc.integer({ min: 65, max: 3000 }).map((n) => {
  let v: unknown = 'end';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

const schemaKeys = (schema: unknown): string[] => Object.keys((schema as { properties?: object } | undefined)?.properties ?? {});

/** A body shaped like the route's (its field names) with hostile values, or random JSON, or too deep. */
function bodyFor(schema: unknown): fc.Arbitrary<unknown> {
  const keys = schemaKeys(schema);
  const shaped = keys.length
    ? fc.dictionary(fc.constantFrom(...keys), fc.oneof(leaf, hostileJson), { minKeys: 1, maxKeys: keys.length })
    : hostileJson;
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 2, arbitrary: hostileJson }, { weight: 1, arbitrary: deeplyNested });
}

/** A query value percent-encoded, or raw bytes that are not UTF-8, or a repeated parameter. */
const encode = (s: string): string => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // what a lone surrogate would have to be on the wire
  }
};
const queryValue = fc.oneof(
  { weight: 5, arbitrary: hostileText.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%FF', '%', '%0', '%00', 'a+b', '1e20', '1e400', '-9999999999') },
);
function queryFor(schema: unknown): fc.Arbitrary<string> {
  const keys = [...schemaKeys(schema), 'x'];
  return fc.array(fc.tuple(fc.constantFrom(...keys), queryValue), { minLength: 1, maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));
}

/** A path parameter: a real identifier (to reach the handler's own code) or a hostile one. */
const paramValue = fc.oneof(
  fc.constantFrom('DOSSIER', 'xac-nhan-tinh-trang-hon-nhan', ANPHU, PROVINCE, '1', 'u-lan', 'receipt'),
  hostileText.map(encode),
);

// ---- the run ----------------------------------------------------------------------------

describe('fuzz over the route table', () => {
  it('should answer every bad input with a 4xx, never a 500, and log none of it', async () => {
    const sent = new Set<string>();
    const remember = (v: unknown): void => {
      if (typeof v === 'string') { if (v.length >= 12 && !NASTY.includes(v)) sent.add(v); return; }
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { remember(k); remember(x); }
    };
    let tried = 0;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const routes = h.app.api.routes.map((r) => r.spec);
    expect(routes.length).toBeGreaterThan(40);
    const started = Date.now();
    let cut = 0;

    for (const [n, spec] of routes.entries()) {
      const request = fc.record({
        params: fc.array(paramValue, { minLength: 4, maxLength: 4 }),
        query: fc.option(queryFor(spec.query), { nil: undefined }),
        body: bodyFor(spec.body),
        anonymous: fc.boolean(),
      });
      const spent = BUDGET_MS > 0 && Date.now() - started > BUDGET_MS;
      if (spent) cut += RUNS - 1;
      for (const r of fc.sample(request, { numRuns: spent ? 1 : RUNS, seed: SEED + n })) {
        let i = 0;
        const path = spec.path.replace(/:[A-Za-z]+/g, () => {
          const v = r.params[i++]!;
          return v === 'DOSSIER' ? encodeURIComponent(dossierId) : v;
        });
        const url = r.query ? `${path}?${r.query}` : path;
        let req = h.http[spec.method](url);
        if (!(r.anonymous && spec.access === 'public')) req = req.set('Authorization', root);
        const withBody = spec.method !== 'get' && spec.method !== 'delete';
        if (withBody) remember(r.body);
        const res = await (withBody ? req.set('Content-Type', 'application/json').send(JSON.stringify(r.body)) : req);
        tried++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        // A service this harness leaves unconfigured (single sign-on, online payment) says so with 503 and its code: no crash.
        const unconfigured = res.status === 503 && UNCONFIGURED.has((res.body as { error?: { code?: string } }).error?.code ?? '');
        if (res.status >= 500 && !unconfigured) failures.push(`${spec.method.toUpperCase()} ${url.slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    }

    const logged = logs.textAtOrAbove(40);
    const leaked = [...sent].filter((s) => logged.includes(JSON.stringify(s).slice(1, -1)));
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' ');
    figure(`[security] fuzz: ${tried} bad inputs tried over ${routes.length} routes (seed ${SEED}), ${failures.length} answered 500; statuses ${byStatus}; values found in warning/error logs: ${leaked.length}${cut ? `; ${cut} runs left out by the ${BUDGET_MS} ms budget` : ''}`);
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
    expect(leaked).toEqual([]);
  }, 120_000);
});
