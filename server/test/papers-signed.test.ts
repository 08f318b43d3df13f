/**
 * Signed results in the citizen's data store (docs/papers.md, docs/esign.md): a result signed on
 * the leader's approval (the register of issued documents) is kept by the applicant's personal
 * ID. The citizen sees it in "Giấy tờ của tôi" and downloads the very file the verification page
 * confirms; another citizen gets nothing; an officer of another unit without a delegation cannot
 * see it or reuse it; a later dossier of the same person reuses it for a checklist item of its
 * paper type, recorded in its history. Real server, database, engine and signatures.
 */
import type { Stream } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { ProcedureDefinition } from '@motcua/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZENS } from '../src/citizens/devProvider';
import { procedures, procedureVersions } from '../src/db/schema';
import { ensureDemoPki } from '../src/esign/keys';
import { signInThroughProvider, startTestProvider } from './support/citizens';
import { ANPHU_STAFF, createHarness, login, seedPeople, type Harness } from './support/harness';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const MY = '079196004040';
const PAPER_TYPE = 'xac-nhan-tinh-trang-hon-nhan';
let h: Harness;
const auth: { [name: string]: string } = {};

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

interface Entry { documentId: string; kind: string; name: string; number: string | null; paperType: string | null; issuer: string | null; signed: boolean; verifyId: string | null; url: string; sha256: string; size: number; dossierId: string }

/** The shipped marital-status procedure, its approval signing the result kept as a paper type its own checklist accepts. */
async function publishSigned(): Promise<void> {
  const def = JSON.parse(readFileSync(new URL('../../procedures/xac-nhan-tinh-trang-hon-nhan/procedure.json', import.meta.url), 'utf8')) as ProcedureDefinition;
  const approve = def.steps.find((s) => s.id === 'sign')?.actions?.find((a) => a.id === 'approve');
  if (!approve) throw new Error('no approve action');
  approve.effects = [{ type: 'signResult', title: { vi: 'Giấy xác nhận tình trạng hôn nhân' }, paperType: PAPER_TYPE }];
  await h.deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
}

const intake = (extra: object = {}, who = 'lan', unit = ANPHU) => h.http.post('/api/dossiers').set('Authorization', auth[who]!).send({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: unit,
  applicant: { id: MY, name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  accept: true, ...extra,
});

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'desk', unit: BINHMINH }] }]);
  await publishSigned();
  await ensureDemoPki(h.deps);
  for (const u of ['lan', 'hung', 'tuan', 'nam']) auth[u] = await login(h, u);
});
afterAll(async () => { await h?.close(); });

describe('a signed result in the citizen\'s data store', () => {
  let first: string;
  let issuedId: string;
  let signed: Buffer;

  it('should keep the result the leader signs under the applicant\'s personal ID, for the unit\'s officers', async () => {
    // given a dossier of Mỹ approved and signed by the deputy chair
    const d = await intake();
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    first = d.body.id as string;
    const p = await h.http.post(`/api/dossiers/${first}/actions`).set('Authorization', auth['hung']!).send({ step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const a = await h.http.post(`/api/dossiers/${first}/actions`).set('Authorization', auth['tuan']!).send({ step: 'sign', action: 'approve' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    const results = (await h.http.get(`/api/dossiers/${first}/results`).set('Authorization', auth['lan']!)).body as { id: string; number: string; issuedAt: string }[];
    issuedId = results[0]!.id;
    // times in ISO 8601, as the rest of the API (the database's text form is not one every browser parses)
    expect(results[0]!.issuedAt).toBe('2026-03-02T01:15:00.000Z');
    expect((await h.http.get(`/api/public/documents/${issuedId}`)).body).toMatchObject({ issuedAt: '2026-03-02T01:15:00.000Z' });
    signed = (await h.http.get(`/api/dossiers/${first}/results/${issuedId}`).set('Authorization', auth['lan']!).buffer(true).parse(binary)).body as Buffer;
    // when the desk looks her up
    const store = await h.http.get(`/api/citizens/${MY}/papers`).set('Authorization', auth['lan']!);
    // then the signed result is there, with its number, type and the register's download
    expect(store.status).toBe(200);
    expect(store.body).toEqual([expect.objectContaining({
      documentId: issuedId, kind: 'result', number: '1/2026/KQ', paperType: PAPER_TYPE, signed: true, verifyId: issuedId, dossierId: first, unit: ANPHU,
      size: signed.length, url: `/api/dossiers/${first}/results/${issuedId}`, name: 'Giấy xác nhận tình trạng hôn nhân 1-2026-KQ.pdf',
    })]);
  });

  it('should show it to the citizen herself, downloadable byte for byte as the file the verification page confirms', async () => {
    const p = await startTestProvider(h, [...DEMO_CITIZENS, { personalId: MY, name: 'Kiều Thị Mỹ', email: 'my@congdan.demo', phone: '0912345678', password: 'congdan@123', label: 'Công dân' }]);
    try {
      const me = await signInThroughProvider(h, p, MY);
      const mine = await h.http.get('/api/me/papers').set('Cookie', me.cookie);
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      const entry = (mine.body as Entry[]).find((e) => e.documentId === issuedId);
      expect(entry).toMatchObject({ kind: 'result', signed: true, number: '1/2026/KQ', url: `/api/me/papers/${issuedId}` });
      const file = await h.http.get(entry!.url).set('Cookie', me.cookie).buffer(true).parse(binary);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toContain('application/pdf');
      expect(Buffer.compare(file.body as Buffer, signed)).toBe(0);
      const check = await h.http.post('/api/public/documents/verify').attach('file', file.body as Buffer, 'ket-qua.pdf');
      expect(check.body).toMatchObject({ verdict: 'valid', hashMatches: true, document: { id: issuedId, number: '1/2026/KQ' } });
      // another citizen: nothing listed, and the result is not found for them
      const other = await signInThroughProvider(h, p, '001199000001');
      expect((await h.http.get('/api/me/papers').set('Cookie', other.cookie)).body).toEqual([]);
      const theirs = await h.http.get(`/api/me/papers/${issuedId}`).set('Cookie', other.cookie);
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.message.en).toBeTruthy();
      expect((await h.http.get(`/api/me/papers/${issuedId}`)).status).toBe(401);
    } finally {
      await p.close();
    }
  });

  it('should hide it from an officer of another unit without a delegation, who cannot download or reuse it either', async () => {
    const store = await h.http.get(`/api/citizens/${MY}/papers`).set('Authorization', auth['nam']!);
    expect(store.status).toBe(200);
    expect(store.body).toEqual([]);
    // refused as the dossier itself is (dossiers/visibility.ts)
    expect([403, 404]).toContain((await h.http.get(`/api/dossiers/${first}/results/${issuedId}`).set('Authorization', auth['nam']!)).status);
    const elsewhere = await intake({ reuse: [{ paperId: 'previousCertificate', documentId: issuedId }] }, 'nam', BINHMINH);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toMatchObject({ code: 'STORED_PAPER_FORBIDDEN', issues: [{ path: '/reuse/0/documentId' }] });
  });

  it('should let a later dossier of the same person reuse it for a checklist item of its type, recorded in the history', async () => {
    // when the desk receives her second request and reuses the signed certificate for "previousCertificate"
    const d = await intake({ reuse: [{ paperId: 'previousCertificate', documentId: issuedId }] });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const second = d.body.id as string;
    // then the first history event says which stored result stood for which item, from which dossier
    const events = JSON.stringify((await h.http.get(`/api/dossiers/${second}/events`).set('Authorization', auth['lan']!)).body);
    expect(events).toContain('"reusedPapers"');
    expect(events).toContain(`"documentId":"${issuedId}"`);
    expect(events).toContain(`"fromDossier":"${first}"`);
    // and its copy is the signed file itself
    const list = await h.http.get(`/api/dossiers/${second}/documents`).set('Authorization', auth['lan']!);
    expect(list.body).toEqual([expect.objectContaining({ kind: 'digitised', paperId: 'previousCertificate', reusedFrom: issuedId, size: signed.length })]);
    const got = await h.http.get(list.body[0].url as string).set('Authorization', auth['hung']!).buffer(true).parse(binary);
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.body as Buffer, signed)).toBe(0);
    // the store still lists the result once (a reused copy is not a second entry)
    const store = (await h.http.get(`/api/citizens/${MY}/papers`).set('Authorization', auth['lan']!)).body as Entry[];
    expect(store.map((e) => e.documentId)).toEqual([issuedId]);
  });

  it('should refuse to reuse it for an item of another type, or for another person', async () => {
    const wrongItem = await intake({ reuse: [{ paperId: 'declaration', documentId: issuedId }] });
    expect(wrongItem.status).toBe(422);
    expect(wrongItem.body.error.code).toBe('PAPER_TYPE_MISMATCH');
    const otherPerson = await intake({ applicant: { id: '099090001234', name: 'Nguyễn Văn An' }, reuse: [{ paperId: 'previousCertificate', documentId: issuedId }] });
    expect(otherPerson.status).toBe(422);
    expect(otherPerson.body.error.code).toBe('STORED_PAPER_OTHER_PERSON');
  });
});
