/** Online submission in tests: a province with An Phú's staff, birth registration published, the local OIDC provider, citizens signed in. */
import PDFDocument from 'pdfkit';
import type { DevProvider } from '../../src/citizens/devProvider';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './harness';
import { signInThroughProvider, startTestProvider, type CitizenSession } from './citizens';

export const ANPHU = '000.01.31.H99';

export const BIRTH_DATA = {
  childName: 'Trần Gia Bảo', dateOfBirth: '2026-02-20', sex: 'male', placeOfBirth: 'Trạm Y tế xã An Phú', ethnicity: 'Kinh', nationality: 'Việt Nam',
  motherName: 'Trần Thị Mai', motherPersonalId: '001199000001', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: true,
};

export const BIRTH_PAPERS = ['declaration', 'birthCertificate', 'identity'];

export function smallPdf(text = 'Giay to kem theo ho so'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6' });
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text(text);
    doc.end();
  });
}

export interface OnlineWorld {
  h: Harness;
  p: DevProvider;
  desk: string;
  close(): Promise<void>;
}

export async function onlineWorld(config: Parameters<typeof createHarness>[0] = {}): Promise<OnlineWorld> {
  const h = await createHarness(config);
  await seedPeople(h, ANPHU_STAFF);
  await publishFixture(h, 'dang-ky-khai-sinh');
  await publishFixture(h, 'chung-thuc-chu-ky');
  const p = await startTestProvider(h);
  const desk = await login(h, 'lan');
  return { h, p, desk, close: async () => { await p.close(); await h.close(); } };
}

/** A signed-in citizen's requests: cookies and the anti-forgery header on every call. */
export function as(h: Harness, s: CitizenSession) {
  const w = <T extends { set(k: string, v: string): T }>(r: T) => r.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
  return {
    get: (url: string) => w(h.http.get(url)),
    post: (url: string) => w(h.http.post(url)),
    patch: (url: string) => w(h.http.patch(url)),
    put: (url: string) => w(h.http.put(url)),
    del: (url: string) => w(h.http.delete(url)),
  };
}

export const citizen = (w: OnlineWorld, personalId = '001199000001') => signInThroughProvider(w.h, w.p, personalId);

/** A draft of a birth registration at An Phú with its three required papers uploaded. */
export async function readyDraft(w: OnlineWorld, s: CitizenSession, data: object = BIRTH_DATA): Promise<string> {
  const c = as(w.h, s);
  const d = await c.post('/api/me/drafts').send({ procedureId: 'dang-ky-khai-sinh', data, receivingUnit: ANPHU });
  if (d.status !== 201) throw new Error(`draft: ${d.status} ${JSON.stringify(d.body)}`);
  const id = d.body.id as string;
  for (const paper of BIRTH_PAPERS) {
    const up = await c.post(`/api/me/drafts/${id}/files`).field('paper', paper).attach('file', await smallPdf(paper), { filename: `${paper}.pdf`, contentType: 'application/pdf' });
    if (up.status !== 201) throw new Error(`upload ${paper}: ${up.status} ${JSON.stringify(up.body)}`);
  }
  return id;
}
