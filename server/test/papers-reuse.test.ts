import { createHash } from 'node:crypto';
import type { Stream } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZENS } from '../src/citizens/devProvider';
import { signInThroughProvider, startTestProvider } from './support/citizens';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { documents, sharedDataLookups } from '../src/db/schema';
import { startPopulationSimulator, type PopulationSimulator } from '../src/simulators/population';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const MY = '099196004040';
let h: Harness;
let sim: PopulationSimulator;
const auth: { [name: string]: string } = {};

// A tiny real PDF (one empty page).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const intake = (extra: object = {}) => h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
  applicant: { id: MY, name: 'Kiều Thị Mỹ', phone: '0912345678' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'divorced', purpose: 'marriage' },
  papers: ['declaration', 'divorceProof'], accept: true, ...extra,
});

const digitiseBody = { paperId: 'divorceProof', number: '12/2023/HNGĐ-ST', issuer: 'Tòa án nhân dân huyện An Phú', issuedOn: '2023-03-15', holderId: MY };

beforeAll(async () => {
  sim = await startPopulationSimulator({ token: 'papers-test-token' });
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { citizenDataUrl: sim.url, citizenDataToken: sim.token } });
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'desk', unit: BINHMINH }] },
    { username: 'quan', name: 'Võ Văn Quản', grants: [{ role: 'admin', unit: ANPHU }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'nam', 'quan']) auth[u] = await login(h, u);
});
afterAll(async () => {
  await h.close();
  await sim.close();
});

describe('papers citizens need not bring again', () => {
  let first: string;
  let digitised: string;

  it('should digitise a paper at intake with its metadata and show it as digitised on the dossier', async () => {
    // given a received dossier whose divorce judgment the desk scanned
    const d = await intake();
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    first = d.body.id as string;
    const up = await h.http.post(`/api/dossiers/${first}/documents`).set('Authorization', auth['lan']!)
      .field('paperId', 'divorceProof').attach('file', PDF, { filename: 'ban-an.pdf', contentType: 'application/pdf' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ kind: 'submitted', paperId: 'divorceProof', holderId: null });
    // when the desk marks it digitised
    const res = await h.http.post(`/api/dossiers/${first}/documents/${up.body.id}/digitise`).set('Authorization', auth['lan']!).send(digitiseBody);
    // then it is a digitised copy with its metadata, and the list says so
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    digitised = up.body.id as string;
    expect(res.body).toMatchObject({ kind: 'digitised', paperId: 'divorceProof', holderId: MY, meta: { paperType: 'ban-an-ly-hon', number: '12/2023/HNGĐ-ST', issuedOn: '2023-03-15' } });
    const list = await h.http.get(`/api/dossiers/${first}/documents`).set('Authorization', auth['hung']!);
    expect(list.body).toEqual([expect.objectContaining({ id: digitised, kind: 'digitised', digitisedAt: '2026-03-02T01:15:00.000Z' })]);
  });

  it('should refuse wrong metadata with a JSON pointer in both languages and store nothing', async () => {
    const up = await h.http.post(`/api/dossiers/${first}/documents`).set('Authorization', auth['lan']!)
      .attach('file', PDF, { filename: 'to-khai.pdf', contentType: 'application/pdf' });
    const url = `/api/dossiers/${first}/documents/${up.body.id}/digitise`;
    const cases: [object, number, string][] = [
      [{ ...digitiseBody, issuedOn: '2027-01-01' }, 422, '/issuedOn'],
      [{ ...digitiseBody, holderId: '12345' }, 422, '/holderId'],
      [{ ...digitiseBody, paperId: 'passport' }, 422, '/paperId'],
      [{ ...digitiseBody, paperType: 'giay-khai-sinh' }, 422, '/paperType'],
      [{ ...digitiseBody, validUntil: '2020-01-01' }, 422, '/validUntil'],
      [{ ...digitiseBody, number: '' }, 422, '/number'],
    ];
    for (const [body, status, path] of cases) {
      const res = await h.http.post(url).set('Authorization', auth['lan']!).send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(res.body.error.message.vi).toBeTruthy();
      expect(res.body.error.message.en).toBeTruthy();
    }
    const [row] = await h.deps.db.select().from(documents).where(eq(documents.id, up.body.id as string));
    expect(row).toMatchObject({ kind: 'submitted', holderId: null, meta: {} });
    // a digitised copy is a record: typing it again is refused
    const again = await h.http.post(`/api/dossiers/${first}/documents/${digitised}/digitise`).set('Authorization', auth['lan']!).send(digitiseBody);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DOCUMENT_ALREADY_TYPED');
  });

  it('should keep the paper in the citizen\'s store, readable by the unit, not by another unit\'s officer, who cannot tell that it exists', async () => {
    const mine = await h.http.get(`/api/citizens/${MY}/papers`).set('Authorization', auth['lan']!);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([expect.objectContaining({ documentId: digitised, kind: 'digitised', paperType: 'ban-an-ly-hon', dossierId: first, unit: ANPHU })]);
    // another unit's officer cannot tell "papers elsewhere" from "no papers": both are an empty list
    const other = await h.http.get(`/api/citizens/${MY}/papers`).set('Authorization', auth['nam']!);
    expect(other.status).toBe(200);
    expect(other.body).toEqual([]);
    const nobody = await h.http.get('/api/citizens/099000000001/papers').set('Authorization', auth['nam']!);
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual([]);
    const bad = await h.http.get('/api/citizens/12ab/papers').set('Authorization', auth['lan']!);
    expect(bad.status).toBe(400);
  });

  it('should let a second dossier of the same citizen reuse the digitised paper and the population data, recorded in its history', async () => {
    // given a population lookup with the citizen's consent
    const look = await h.http.post('/api/shared-data/lookups').set('Authorization', auth['lan']!).send({
      source: 'population', personalId: MY, unit: ANPHU, purpose: 'Xác nhận tình trạng hôn nhân', procedureId: 'xac-nhan-tinh-trang-hon-nhan',
      consent: { given: true, method: 'at-desk' },
    });
    expect(look.status, JSON.stringify(look.body)).toBe(201);
    expect(look.body.prefill).toEqual({
      applicant: { name: 'Kiều Thị Mỹ', address: 'Ấp 3, xã An Phú, tỉnh Demo' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', personalId: MY, sex: 'female' },
    });
    expect(look.body.papersNotRequired).toEqual(['identity']);
    // when the second intake uses the lookup and reuses the stored judgment
    const d = await intake({ sharedData: [look.body.id], reuse: [{ paperId: 'divorceProof', documentId: digitised }] });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const second = d.body.id as string;
    // then its first history event records what was used, by whom, when
    const events = await h.http.get(`/api/dossiers/${second}/events`).set('Authorization', auth['lan']!);
    const started = JSON.stringify(events.body);
    expect(started).toContain('"reusedPapers"');
    expect(started).toContain(`"fromDossier":"${first}"`);
    expect(started).toContain('"sharedData"');
    expect(started).toContain('"papersNotRequired":["identity"]');
    expect(started).toContain('"method":"at-desk"');
    // and the dossier holds a digitised copy with the same bytes, no second upload
    const list = await h.http.get(`/api/dossiers/${second}/documents`).set('Authorization', auth['lan']!);
    expect(list.body).toEqual([expect.objectContaining({ kind: 'digitised', paperId: 'divorceProof', reusedFrom: digitised, sha256: sha(PDF) })]);
    const got = await h.http.get(list.body[0].url as string).set('Authorization', auth['hung']!).buffer(true).parse(binary);
    expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
    // the lookup names its dossier and cannot serve another intake
    const [row] = await h.deps.db.select().from(sharedDataLookups).where(eq(sharedDataLookups.id, look.body.id as string));
    expect(row?.dossierId).toBe(second);
    const twice = await intake({ sharedData: [look.body.id] });
    expect(twice.status).toBe(409);
    expect(twice.body.error.issues[0].path).toBe('/sharedData/0');
  });

  it('should refuse to reuse another person\'s paper or one of another unit, and write nothing', async () => {
    const before = (await h.deps.db.select().from(documents)).length;
    const other = await intake({ applicant: { id: '099090001234', name: 'Nguyễn Văn An' }, reuse: [{ paperId: 'divorceProof', documentId: digitised }] });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'STORED_PAPER_OTHER_PERSON', issues: [{ path: '/reuse/0/documentId' }] });
    const wrongItem = await intake({ reuse: [{ paperId: 'declaration', documentId: digitised }] });
    expect(wrongItem.status).toBe(422);
    expect(wrongItem.body.error.code).toBe('PAPER_TYPE_MISMATCH');
    const elsewhere = await h.http.post('/api/dossiers').set('Authorization', auth['nam']!).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: BINHMINH, applicant: { id: MY, name: 'Kiều Thị Mỹ' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'divorced', purpose: 'marriage' },
      reuse: [{ paperId: 'divorceProof', documentId: digitised }],
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('STORED_PAPER_FORBIDDEN');
    expect((await h.deps.db.select().from(documents)).length).toBe(before);
  });

  it('should count the digitisation indicators per unit', async () => {
    // given a result recorded by the specialist (not in the signing register: not electronic)
    const up = await h.http.post(`/api/dossiers/${first}/documents`).set('Authorization', auth['hung']!)
      .attach('file', PDF, { filename: 'xac-nhan.pdf', contentType: 'application/pdf' });
    const result = await h.http.post(`/api/dossiers/${first}/documents/${up.body.id}/result`).set('Authorization', auth['hung']!)
      .send({ number: '15/XNTTHN', date: '2026-03-02', signer: 'Phạm Minh Tuấn, Phó Chủ tịch', validUntil: '2026-09-02', paperType: 'xac-nhan-tinh-trang-hon-nhan' });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body).toMatchObject({ kind: 'result', holderId: MY });
    const desk = await h.http.post(`/api/dossiers/${first}/documents/${up.body.id}/result`).set('Authorization', auth['lan']!).send({ number: 'x', date: '2026-03-02', signer: 'x' });
    expect(desk.status).toBe(403);
    // when the administrator reads the indicators
    const res = await h.http.get('/api/stats/digitisation').query({ unit: ANPHU, from: '2026-03-01', to: '2026-03-31' }).set('Authorization', auth['quan']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toEqual({
      received: 2, dossiersDigitised: 2, papersDigitised: 1, digitisedShare: 1, results: 1, resultsElectronic: 0, electronicResultShare: 0,
      dossiersReusing: 1, papersReused: 1, reuseShare: 0.5, lookups: 1,
    });
    expect(res.body.rows).toHaveLength(1);
    const outside = await h.http.get('/api/stats/digitisation').query({ unit: BINHMINH }).set('Authorization', auth['quan']!);
    expect(outside.status).toBe(403);
  });

  it('should show a signed-in citizen their own papers and results, with the files, and nobody else\'s', async () => {
    const p = await startTestProvider(h, [...DEMO_CITIZENS, { personalId: MY, name: 'Kiều Thị Mỹ', email: 'my@congdan.demo', phone: '0912345678', password: 'congdan@123', label: 'Công dân' }]);
    try {
      const me = await signInThroughProvider(h, p, MY);
      const mine = await h.http.get('/api/me/papers').set('Cookie', me.cookie);
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(mine.body.map((e: { kind: string }) => e.kind).sort()).toEqual(['digitised', 'result']);
      const paper = (mine.body as { documentId: string; kind: string; url: string; sha256: string }[]).find((e) => e.kind === 'digitised')!;
      expect(paper).toMatchObject({ documentId: digitised, url: `/api/me/papers/${digitised}`, sha256: sha(PDF) });
      const file = await h.http.get(paper.url).set('Cookie', me.cookie).buffer(true).parse(binary);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toContain('application/pdf');
      expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
      // another citizen: an empty store, and the first one's paper is not found
      const other = await signInThroughProvider(h, p, '001199000001');
      expect((await h.http.get('/api/me/papers').set('Cookie', other.cookie)).body).toEqual([]);
      const theirs = await h.http.get(paper.url).set('Cookie', other.cookie);
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.message.vi).toBeTruthy();
      // a submitted (untyped) paper of the citizen's dossier is not a store entry
      const [submitted] = await h.deps.db.select({ id: documents.id }).from(documents).where(eq(documents.kind, 'submitted'));
      expect((await h.http.get(`/api/me/papers/${submitted!.id}`).set('Cookie', me.cookie)).status).toBe(404);
      // nobody signed in
      expect((await h.http.get('/api/me/papers')).status).toBe(401);
      expect((await h.http.get(paper.url)).status).toBe(401);
    } finally {
      await p.close();
    }
  });
});
