/**
 * Hostile input that used to crash requests (issue 8, hole 8): NUL bytes, lone surrogates,
 * JSON nested 10,000 deep and `page=1e20` — on the unauthenticated login and public lookup
 * too. Each must be a 400 whose message says what is wrong and where, in Vietnamese and
 * English, and the error log must never carry the request body or the SQL parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from '../../server/test/support/harness';
import { captureLogs, type CapturedLogs } from './support/logs';

const CANARY = 'Canary-Nguyen-Van-Bi-079196004040';
let h: Harness;
let logs: CapturedLogs;
let desk: string;

beforeAll(async () => {
  logs = captureLogs();
  h = await createHarness({ logger: logs.logger });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'root', grants: [{ role: 'admin', unit: '000.00.00.H99' }] }]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  desk = await login(h, 'lan');
});
afterAll(async () => h.close());

interface ErrorBody { error: { code: string; message: { vi: string; en: string }; issues?: { path: string }[] } }

function expectClear400(res: { status: number; body: unknown }): ErrorBody['error'] {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  const e = (res.body as ErrorBody).error;
  expect(e.message.vi.length).toBeGreaterThan(10);
  expect(e.message.en.length).toBeGreaterThan(10);
  return e;
}

const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('bad input answers 400, never 500', () => {
  it('should refuse a NUL byte in the unauthenticated login, naming the field', async () => {
    const res = await h.http.post('/api/auth/login').send({ username: `lan\u0000${CANARY}`, password: 'x' });
    const e = expectClear400(res);
    expect(e.issues?.[0]?.path).toBe('/username');
  });

  it('should refuse a NUL byte in the public lookup address', async () => {
    expectClear400(await h.http.get(`/api/public/dossiers/${encodeURIComponent(`X\u0000${CANARY}`)}`));
  });

  it('should refuse a lone surrogate in a body', async () => {
    const body = `{"procedureId":"xac-nhan-tinh-trang-hon-nhan","channel":"direct","receivingUnit":"000.01.31.H99",`
      + `"applicant":{"name":"${CANARY}\\ud800"},"data":{"note":"\\udfff"}}`;
    const res = await h.http.post('/api/dossiers').set('Authorization', desk).set('Content-Type', 'application/json').send(body);
    const e = expectClear400(res);
    expect(e.issues?.map((i) => i.path)).toEqual(['/applicant/name', '/data/note']);
  });

  it('should refuse a lone surrogate in a query string', async () => {
    const res = await h.http.get('/api/public/procedures?q=%ED%A0%80');
    expectClear400(res);
    // A browser cannot even encode a lone surrogate (encodeURIComponent throws): stray %ED… bytes are what arrives.
    const e = expectClear400(await h.http.get('/api/dossiers?box=unit&q=%ED%A0%80').set('Authorization', desk));
    expect(e.issues?.[0]?.path).toBe('/q');
  });

  it('should name each bad string of a wide, deep body by its own pointer, keys and values alike', async () => {
    const res = await h.http.post('/api/auth/login').send({
      username: 'lan', password: 'x',
      extra: [[['ok', 'ba\u0000d']], { 'k\u0000': 1, deep: { deeper: ['\ud800'] } }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_TEXT');
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['/extra/0/0/1', '/extra/1/deep/deeper/0', '/extra/1/k\u0000']);
  });

  it('should refuse JSON nested 10,000 deep', async () => {
    const res = await h.http.post('/api/auth/login').set('Content-Type', 'application/json').send(deep(10_000));
    expectClear400(res);
    const res2 = await h.http.post('/api/dossiers').set('Authorization', desk).set('Content-Type', 'application/json')
      .send(`{"procedureId":"xac-nhan-tinh-trang-hon-nhan","channel":"direct","receivingUnit":"000.01.31.H99","applicant":{"name":"${CANARY}"},"data":{"x":${deep(10_000)}}}`);
    expectClear400(res2);
  });

  it('should refuse page=1e20 with the parameter named', async () => {
    const e = expectClear400(await h.http.get('/api/dossiers?page=1e20').set('Authorization', desk));
    expect(e.issues?.[0]?.path).toBe('/page');
    expectClear400(await h.http.get('/api/public/procedures?page=1e20'));
    expectClear400(await h.http.get('/api/users?page=1e20').set('Authorization', await login(h, 'root')));
  });

  it('should refuse NUL in a body stored as JSON', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: '000.01.31.H99',
      applicant: { name: CANARY }, data: { personName: `a\u0000b`, dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(expectClear400(res).issues?.[0]?.path).toBe('/data/personName');
  });

  it('should store text in NFC, so a search typed in NFD finds it, and strip bidi overrides and controls from names', async () => {
    const nfd = 'Nguyễn Thị Hoà'.normalize('NFD');
    const made = await h.http.post('/api/dossiers').set('Authorization', desk).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: '000.01.31.H99',
      applicant: { name: `\u202e${nfd}\u0007` }, data: { personName: nfd, dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.applicant.name).toBe('Nguyễn Thị Hoà'.normalize('NFC'));
    expect(made.body.data.personName).toBe('Nguyễn Thị Hoà'.normalize('NFC'));
    const found = await h.http.get(`/api/dossiers?box=all&q=${encodeURIComponent('Thị Hoà'.normalize('NFD'))}`).set('Authorization', desk);
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { id: string }) => i.id)).toContain(made.body.id);
    const catalog = await h.http.get(`/api/public/procedures?q=${encodeURIComponent('tình trạng hôn nhân'.normalize('NFD'))}`);
    expect(catalog.body.items.map((i: { id: string }) => i.id)).toContain('xac-nhan-tinh-trang-hon-nhan');
  });

  it('should never have logged a body or an SQL parameter at warning level or above', () => {
    const text = logs.textAtOrAbove(40);
    expect(text).not.toContain(CANARY);
    expect(text).not.toMatch(/params:/);
  });
});
