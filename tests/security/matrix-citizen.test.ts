/**
 * The malicious citizen: one citizen (Bình) tries every /api/me route on another citizen's
 * (Mai's) drafts, dossiers, documents, slips and stored papers — by id, by replaying her
 * submission (the same draft, the same Idempotency-Key) — and every route without a session,
 * without the anti-forgery header and with an officer's token. Every attempt must end 401,
 * 403 or 404 and leave every table as it was. A citizen may not steer the national portal's
 * record of a dossier by naming a portal dossier id in the form either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Test } from 'supertest';
import { ANPHU, BIRTH_DATA, as, citizen, onlineWorld, readyDraft, smallPdf, type OnlineWorld } from '../../server/test/support/online';
import type { CitizenSession } from '../../server/test/support/citizens';
import { Tally, gotIn } from './support/world';
import { changed, digest } from './support/db';

let w: OnlineWorld;
let mai: CitizenSession;
let binh: CitizenSession;
const tally = new Tally('citizen routes (route × caller: another citizen, anonymous, no anti-forgery header, officer token)');

/** Mai's things Bình goes after. */
const her = { openDraft: '', openFile: '', submittedDraft: '', keyedDraft: '', dossier: '', keyedDossier: '', document: '', paper: '' };
const KEY = 'mai-submit-1';

beforeAll(async () => {
  w = await onlineWorld();
  mai = await citizen(w, '001199000001');
  binh = await citizen(w, '001199000002');
  const c = as(w.h, mai);
  // an open draft with one paper
  her.openDraft = await readyDraft(w, mai);
  her.openFile = (await c.get(`/api/me/drafts/${her.openDraft}`)).body.files[0].id;
  // a draft submitted without a key (kept single by its draft id), one with a key
  her.submittedDraft = await readyDraft(w, mai, { ...BIRTH_DATA, childName: 'Trần Minh Khang' });
  const sub = await c.post(`/api/me/drafts/${her.submittedDraft}/submit`).send({});
  expect(sub.status, JSON.stringify(sub.body)).toBe(201);
  her.dossier = sub.body.id;
  her.document = sub.body.documents[0].id;
  her.keyedDraft = await readyDraft(w, mai, { ...BIRTH_DATA, childName: 'Trần Bảo Ngọc' });
  const keyed = await c.post(`/api/me/drafts/${her.keyedDraft}/submit`).set('Idempotency-Key', KEY).send({});
  expect(keyed.status).toBe(201);
  her.keyedDossier = keyed.body.id;
  // the desk accepts it (slip 01 issued) and digitises her birth certificate into her store
  expect((await w.h.http.post(`/api/dossiers/${her.dossier}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'accept' })).status).toBe(200);
  const docs = (await w.h.http.get(`/api/dossiers/${her.dossier}/documents`).set('Authorization', w.desk)).body as { id: string; name: string }[];
  const cert = docs.find((d) => d.name.startsWith('birthCertificate')) ?? docs[0]!;
  const dig = await w.h.http.post(`/api/dossiers/${her.dossier}/documents/${cert.id}/digitise`).set('Authorization', w.desk)
    .send({ paperId: 'birthCertificate', number: '12/GCS', issuer: 'Trạm Y tế xã An Phú', issuedOn: '2026-02-20', holderId: '001199000001' });
  expect(dig.status, JSON.stringify(dig.body)).toBe(200);
  her.paper = cert.id;
  expect((await c.get('/api/me/papers')).body.map((p: { documentId: string }) => p.documentId)).toContain(her.paper);
});
afterAll(async () => {
  tally.assert();
  await w.close();
});

type Call = { label: string; send: (r: ReturnType<typeof as>) => Promise<{ status: number; body: unknown }>; change: boolean };

/** Every /api/me route, aimed at Mai's things. */
async function attacks(): Promise<Call[]> {
  const pdf = await smallPdf('gia mao');
  const d = her.openDraft;
  const x = her.dossier;
  return [
    { label: 'GET draft', change: false, send: (r) => r.get(`/api/me/drafts/${d}`) },
    { label: 'PATCH draft', change: true, send: (r) => r.patch(`/api/me/drafts/${d}`).send({ data: { childName: 'Kẻ Gian' } }) },
    { label: 'POST draft file', change: true, send: (r) => r.post(`/api/me/drafts/${d}/files`).field('paper', 'identity').attach('file', pdf, { filename: 'x.pdf', contentType: 'application/pdf' }) },
    { label: 'DELETE draft file', change: true, send: (r) => r.del(`/api/me/drafts/${d}/files/${her.openFile}`) },
    { label: 'submit open draft', change: true, send: (r) => r.post(`/api/me/drafts/${d}/submit`).send({}) },
    { label: 'submit open draft with her key', change: true, send: (r) => r.post(`/api/me/drafts/${d}/submit`).set('Idempotency-Key', KEY).send({}) },
    // replays of her submissions: the answer would be her dossier, with her name and papers
    { label: 'replay submitted draft (no key)', change: true, send: (r) => r.post(`/api/me/drafts/${her.submittedDraft}/submit`).send({}) },
    { label: 'replay keyed draft (her key)', change: true, send: (r) => r.post(`/api/me/drafts/${her.keyedDraft}/submit`).set('Idempotency-Key', KEY).send({}) },
    { label: 'DELETE draft', change: true, send: (r) => r.del(`/api/me/drafts/${d}`) },
    { label: 'GET dossier', change: false, send: (r) => r.get(`/api/me/dossiers/${x}`) },
    { label: 'GET keyed dossier', change: false, send: (r) => r.get(`/api/me/dossiers/${her.keyedDossier}`) },
    { label: 'withdraw dossier', change: true, send: (r) => r.post(`/api/me/dossiers/${x}/actions`).send({ step: 'review', action: 'withdraw', inputs: { reason: 'không cần nữa' } }) },
    { label: 'upload to dossier', change: true, send: (r) => r.post(`/api/me/dossiers/${x}/documents`).attach('file', pdf, { filename: 'x.pdf', contentType: 'application/pdf' }) },
    { label: 'rate dossier', change: true, send: (r) => r.post(`/api/me/dossiers/${x}/rating`).send({ score: 1 }) },
    { label: 'GET receipt slip', change: false, send: (r) => r.get(`/api/me/dossiers/${x}/slips/receipt`) },
    { label: 'GET dossier document', change: false, send: (r) => r.get(`/api/me/dossiers/${x}/documents/${her.document}`) },
    { label: 'GET stored paper', change: false, send: (r) => r.get(`/api/me/papers/${her.paper}`) },
    // path tricks on the ids
    { label: 'GET dossier document via ../', change: false, send: (r) => r.get(`/api/me/dossiers/${x}/documents/..%2F..%2Fpapers%2F${her.paper}`) },
    { label: 'GET stored paper via ../', change: false, send: (r) => r.get(`/api/me/papers/..%2F${her.paper}`) },
  ];
}

const anon = (h: OnlineWorld['h']) => ({
  get: (u: string) => h.http.get(u), post: (u: string) => h.http.post(u), patch: (u: string) => h.http.patch(u), del: (u: string) => h.http.delete(u),
});

describe('another citizen\'s drafts, dossiers and papers', () => {
  it('should answer Bình 404 on every route aimed at Mai\'s things, replays of her submissions included, changing nothing', async () => {
    const before = await digest(w.h);
    for (const a of await attacks()) {
      const res = await a.send(as(w.h, binh));
      expect(res.status, `${a.label}: ${JSON.stringify(res.body).slice(0, 300)}`).not.toBe(500);
      tally.record(`binh ${a.label}`, false, gotIn(res.status));
      // not told apart from "none": no name, no personal ID of hers in any answer
      expect(JSON.stringify(res.body ?? '')).not.toMatch(/Trần Thị Mai|001199000001/);
    }
    expect(changed(before, await digest(w.h))).toEqual([]);
    // Bình's own lists stay his
    for (const path of ['/api/me/drafts', '/api/me/dossiers', '/api/me/papers']) {
      const res = await as(w.h, binh).get(path);
      expect(res.status).toBe(200);
      tally.record(`binh lists ${path}`, false, (res.body as unknown[]).length > 0);
    }
    // and Mai still has hers
    expect((await as(w.h, mai).get(`/api/me/drafts/${her.openDraft}`)).body.files).toHaveLength(3);
  });

  it('should answer every /api/me route 401 without a session or with an officer\'s token, and 403 on a change without the anti-forgery header', async () => {
    const before = await digest(w.h);
    const officer = (h: OnlineWorld['h']) => {
      const s = <T extends Test>(t: T) => t.set('Authorization', w.desk);
      return { get: (u: string) => s(h.http.get(u)), post: (u: string) => s(h.http.post(u)), patch: (u: string) => s(h.http.patch(u)), del: (u: string) => s(h.http.delete(u)) };
    };
    const noCsrf = (h: OnlineWorld['h']) => {
      const s = <T extends Test>(t: T) => t.set('Cookie', mai.cookie);
      return { get: (u: string) => s(h.http.get(u)), post: (u: string) => s(h.http.post(u)), patch: (u: string) => s(h.http.patch(u)), del: (u: string) => s(h.http.delete(u)) };
    };
    for (const a of await attacks()) {
      for (const [who, r] of [['anonymous', anon(w.h)], ['officer token', officer(w.h)]] as const) {
        const res = await a.send(r as unknown as ReturnType<typeof as>);
        tally.record(`${who} ${a.label}`, false, gotIn(res.status));
        expect(res.status, `${who} ${a.label}`).toBe(401);
      }
      if (a.change) {
        // Mai's own session, but a forged cross-site request: no X-CSRF-Token
        const res = await a.send(noCsrf(w.h) as unknown as ReturnType<typeof as>);
        tally.record(`mai without anti-forgery header ${a.label}`, false, gotIn(res.status));
        expect(res.status, `no csrf ${a.label}`).toBe(403);
      }
    }
    expect(changed(before, await digest(w.h))).toEqual([]);
  });
});

describe('what a citizen writes into the form', () => {
  it('should refuse a form naming a national-portal dossier id (it would steer another dossier\'s record at the portal)', async () => {
    const c = as(w.h, binh);
    const d = await c.post('/api/me/drafts').send({
      procedureId: 'dang-ky-khai-sinh', receivingUnit: ANPHU,
      data: { ...BIRTH_DATA, motherName: 'Nguyễn Văn Bình', motherPersonalId: '001199000002', portalDossierId: 'G22.99.99-260301-0001' },
    });
    let refused = d.status >= 400 && d.status < 500;
    if (d.status === 201) {
      for (const paper of ['declaration', 'birthCertificate', 'identity']) {
        await c.post(`/api/me/drafts/${d.body.id}/files`).field('paper', paper).attach('file', await smallPdf(paper), { filename: `${paper}.pdf`, contentType: 'application/pdf' });
      }
      const before = await digest(w.h);
      const sub = await c.post(`/api/me/drafts/${d.body.id}/submit`).send({});
      expect(sub.status, JSON.stringify(sub.body)).not.toBe(500);
      refused = sub.status === 422;
      if (refused) {
        expect(sub.body.error.issues.map((i: { path: string }) => i.path)).toContain('/data/portalDossierId');
        expect(sub.body.error.message.vi).toBeTruthy();
        expect(changed(before, await digest(w.h))).toEqual([]);
      }
    }
    tally.record('citizen names a portal dossier id in the form', false, !refused);
    // and a desk officer may not either
    const desk = await w.h.http.post('/api/dossiers').set('Authorization', w.desk).send({
      procedureId: 'dang-ky-khai-sinh', channel: 'direct', receivingUnit: ANPHU, applicant: { id: '001199000002', name: 'Nguyễn Văn Bình' },
      data: { ...BIRTH_DATA, portalDossierId: 'G22.99.99-260301-0001' },
    });
    expect(desk.status, JSON.stringify(desk.body)).not.toBe(500);
    tally.record('desk names a portal dossier id in the form', false, desk.status === 201);
  });
});
