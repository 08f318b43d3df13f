/**
 * Electronic results (docs/esign.md): the leader's approval signs the result (PAdES, personal
 * signature with the signing formula, then the unit's seal as an incremental update); the file is
 * verified independently by poppler's `pdfsig` and by pkijs through the verification service; a
 * changed byte is detected; an expired, revoked or wrong-unit certificate and a signer without
 * authority are refused with nothing issued. Real server, database and engine; ManualClock.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from 'node:stream';
import type { ProcedureDefinition } from '@motcua/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { procedures, procedureVersions } from '../src/db/schema';
import { ensureDemoPki, issueLocalCertificate } from '../src/esign/keys';
import { renderResult } from '../src/esign/result';
import { revokeCertificate, signerAuthority } from '../src/esign/service';
import { ANPHU_STAFF, createHarness, login, seedPeople, type Harness } from './support/harness';

const ANPHU = '000.01.31.H99';
const HOUR = 3600_000;
let h: Harness;
let dir: string;
const auth: { [name: string]: string } = {};
const hasPdfsig = spawnSync('pdfsig', ['-v']).error === undefined;

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const signIn = async (): Promise<void> => { for (const u of ['lan', 'hung', 'tuan']) auth[u] = await login(h, u); };

/** The shipped marital-status procedure, its approval declaring the signed result. */
async function publishSigned(): Promise<void> {
  const def = JSON.parse(readFileSync(new URL('../../procedures/xac-nhan-tinh-trang-hon-nhan/procedure.json', import.meta.url), 'utf8')) as ProcedureDefinition;
  const approve = def.steps.find((s) => s.id === 'sign')?.actions?.find((a) => a.id === 'approve');
  if (!approve) throw new Error('no approve action');
  approve.effects = [{ type: 'signResult', title: { vi: 'Giấy xác nhận tình trạng hôn nhân' } }];
  await h.deps.db.insert(procedures).values({ id: def.id, code: def.catalog.code, name: def.catalog.name.vi, field: def.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: def.id, version: def.version, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
}

async function readyToSign(beforeProposal?: (id: string) => Promise<void>): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
    applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    accept: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  if (beforeProposal) await beforeProposal(id);
  const p = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth['hung']!)
    .send({ step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
  expect(p.status, JSON.stringify(p.body)).toBe(200);
  return id;
}

const approve = (id: string) => h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth['tuan']!).send({ step: 'sign', action: 'approve' });
const results = async (id: string) => (await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/results`).set('Authorization', auth['lan']!)).body as { id: string; number: string; source: string }[];
const download = async (id: string, doc: string): Promise<Buffer> => {
  const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/results/${doc}`).set('Authorization', auth['lan']!).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return res.body as Buffer;
};
const verify = async (file: Buffer, id?: string) => {
  const req = h.http.post('/api/public/documents/verify').attach('file', file, 'ket-qua.pdf');
  const res = await (id ? req.field('id', id) : req);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { verdict: string; hashMatches: boolean; document: { number: string; signers: { name: string; role: string; lines: string[] }[] } | null; signatures: { intact: boolean; trusted: boolean; validAtSigning: boolean; revokedAtSigning: boolean; coversWholeFile: boolean; signer: string }[] };
};
function pdfsig(file: Buffer): string {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, file);
  const r = spawnSync('pdfsig', ['-nocert', path], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  dir = mkdtempSync(join(tmpdir(), 'motcua-esign-'));
  await seedPeople(h, [...ANPHU_STAFF, { username: 'binhminh', name: 'Lãnh đạo Bình Minh', grants: [{ role: 'leader', unit: '000.02.31.H99' }] }]);
  await publishSigned();
  // The demo's PKI: the CA, a seal per unit, a personal certificate per leader.
  await ensureDemoPki(h.deps);
  await signIn();
});
afterAll(async () => { await h?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('a result signed on approval (PAdES: the leader signs with the signing formula, the unit seals)', () => {
  let id: string;
  let pdf: Buffer;
  let docId: string;

  it('should issue one signed result when the leader approves, numbered and kept in the register', async () => {
    // given a dossier proposed for approval
    id = await readyToSign();
    // when the deputy chair approves it
    const res = await approve(id);
    // then one result is issued, from the template, signed
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = await results(id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ number: '1/2026/KQ', source: 'template' });
    docId = list[0]!.id;
    pdf = await download(id, docId);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('should verify with poppler\'s pdfsig: two valid ETSI.CAdES.detached signatures, the seal covering the whole file', () => {
    if (!hasPdfsig) {
      console.warn('pdfsig (poppler-utils) is not installed: the independent check is skipped; .ci/run installs it');
      return;
    }
    const out = pdfsig(pdf);
    expect(out).toContain('Signature #1');
    expect(out).toContain('Signature #2');
    expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
    expect(out.match(/ETSI\.CAdES\.detached/g)).toHaveLength(2);
    expect(out).toContain('Phạm Minh Tuấn');
    expect(out).toContain('Total document signed');
  });

  it('should verify with the verification service (pkijs): the issued hash, both signers, certificates valid and unrevoked then', async () => {
    const report = await verify(pdf, docId);
    expect(report.verdict).toBe('valid');
    expect(report.hashMatches).toBe(true);
    expect(report.signatures).toHaveLength(2);
    for (const s of report.signatures) expect(s).toMatchObject({ intact: true, trusted: true, validAtSigning: true, revokedAtSigning: false });
    expect(report.signatures.map((s) => s.signer)).toEqual(['Phạm Minh Tuấn', 'UBND xã An Phú']);
    // The signing formula of Decree 30/2020: the deputy signs for the chair of the committee.
    expect(report.document?.signers[0]).toMatchObject({ role: 'personal', name: 'Phạm Minh Tuấn', lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'] });
    // Found by its hash alone too (a file without the QR code's id).
    expect((await verify(pdf)).verdict).toBe('valid');
  });

  it('should detect a changed byte: pdfsig and the service both refuse the file', async () => {
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('Kiều Thị Mỹ') >= 0 ? tampered.indexOf('/Producer') : 200;
    tampered[at + 2] = tampered[at + 2]! ^ 0x01;
    const report = await verify(tampered, docId);
    expect(report.verdict).toBe('tampered');
    expect(report.hashMatches).toBe(false);
    expect(report.signatures.some((s) => !s.intact)).toBe(true);
    // poppler reports the changed range ("Digest Mismatch") instead of two valid signatures.
    if (hasPdfsig) expect((pdfsig(tampered).match(/Signature is Valid\./g) ?? []).length).toBeLessThan(2);
  });

  it('should let the citizen download the same bytes from the public page with the second factor, and nobody without it', async () => {
    const list = await h.http.post(`/api/public/dossiers/${encodeURIComponent(id)}/results`).send({ last4: '4040' });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect((list.body as { id: string }[])[0]?.id).toBe(docId);
    const file = await h.http.post(`/api/public/dossiers/${encodeURIComponent(id)}/results/${docId}/download`).send({ last4: '4040' }).buffer(true).parse(binary);
    expect(file.status).toBe(200);
    expect((file.body as Buffer).equals(pdf)).toBe(true);
    const denied = await h.http.post(`/api/public/dossiers/${encodeURIComponent(id)}/results/${docId}/download`).send({ last4: '1111' });
    expect(denied.status).toBe(404);
  });

  it('should show the register entry by the QR code\'s id without personal data', async () => {
    const res = await h.http.get(`/api/public/documents/${docId}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('079196004040');
    expect(JSON.stringify(res.body)).not.toContain('Kiều Thị Mỹ');
    expect(res.body).toMatchObject({ number: '1/2026/KQ', unit: { code: ANPHU, name: 'UBND xã An Phú' } });
  });

  it('should count the share of approved dossiers whose result was issued electronically', async () => {
    const res = await h.http.get('/api/esign/stats').set('Authorization', auth['tuan']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body as { unit: string; electronic: number }[]).find((r) => r.unit === ANPHU)?.electronic).toBe(1);
    // Another ward's leader reads their own units' figures, not An Phú's.
    const other = await h.http.get('/api/esign/stats').set('Authorization', await login(h, 'binhminh'));
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect((other.body as { unit: string }[]).map((r) => r.unit)).not.toContain(ANPHU);
  });

  it('should count the dossier in the digitisation indicators as a result issued electronically, once', async () => {
    const digitisation = async () => (await h.http.get('/api/stats/digitisation').query({ unit: ANPHU, from: '2026-03-01', to: '2026-03-31' }).set('Authorization', auth['tuan']!)).body;
    expect((await digitisation()).total).toMatchObject({ results: 1, resultsElectronic: 1, electronicResultShare: 1 });
    // the same signed result also typed as the dossier's result document: still one dossier with a result
    const up = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/documents`).set('Authorization', auth['hung']!)
      .attach('file', pdf, { filename: 'ket-qua.pdf', contentType: 'application/pdf' });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const typed = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/documents/${up.body.id}/result`).set('Authorization', auth['hung']!)
      .send({ number: '1/2026/KQ', date: '2026-03-02', signer: 'Phạm Minh Tuấn' });
    expect(typed.status, JSON.stringify(typed.body)).toBe(200);
    expect((await digitisation()).total).toMatchObject({ results: 1, resultsElectronic: 1, electronicResultShare: 1 });
  });

  it('should publish the CA\'s CRL', async () => {
    const res = await h.http.get('/api/public/esign/crl').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/pkix-crl');
    expect((res.body as Buffer)[0]).toBe(0x30);
  });
});

describe('refused signatures: nothing is issued and the dossier stays at the approval', () => {
  const refused = async (code: string): Promise<void> => {
    const id = await readyToSign();
    const res = await approve(id);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body).toMatchObject({ error: { code, issues: [{ path: '/certificate' }] } });
    expect(JSON.stringify(res.body)).toMatch(/"vi"/);
    expect(await results(id)).toHaveLength(0);
    const view = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}`).set('Authorization', auth['lan']!);
    expect(JSON.stringify(view.body.active ?? view.body)).toContain('sign');
  };

  it('should refuse an expired certificate', async () => {
    h.clock.advance(HOUR);
    const now = h.clock.now();
    await issueLocalCertificate(h.deps, 'officer', 'u-tuan', { commonName: 'Phạm Minh Tuấn', userId: 'u-tuan', unitCode: ANPHU, unitName: 'UBND xã An Phú' },
      { notBefore: new Date(now.getTime() - 400 * 24 * HOUR), notAfter: new Date(now.getTime() - 24 * HOUR) });
    await signIn();
    await refused('CERTIFICATE_EXPIRED');
  });

  it('should refuse a certificate revoked in the CA\'s CRL', async () => {
    h.clock.advance(HOUR);
    const cert = await issueLocalCertificate(h.deps, 'officer', 'u-tuan', { commonName: 'Phạm Minh Tuấn', userId: 'u-tuan', unitCode: ANPHU, unitName: 'UBND xã An Phú' });
    h.clock.advance(60_000);
    await revokeCertificate(h.deps, cert.serial);
    await signIn();
    await refused('CERTIFICATE_REVOKED');
  });

  it('should refuse a certificate of another unit', async () => {
    h.clock.advance(HOUR);
    await issueLocalCertificate(h.deps, 'officer', 'u-tuan', { commonName: 'Phạm Minh Tuấn', userId: 'u-tuan', unitCode: '000.02.31.H99', unitName: 'UBND phường Bình Minh' });
    await signIn();
    await refused('CERTIFICATE_WRONG_UNIT');
  });

  it('should refuse a signer without the authority at that moment (no grant, no delegation in force)', async () => {
    await expect(signerAuthority(h.deps, 'u-hung', 'leader', ANPHU, 'xac-nhan-tinh-trang-hon-nhan', h.clock.now())).rejects.toMatchObject({ status: 403, code: 'SIGNER_NO_AUTHORITY' });
  });

  it('should sign again once the leader has a valid certificate of the unit, and sign an uploaded result instead of the template', async () => {
    h.clock.advance(HOUR);
    await issueLocalCertificate(h.deps, 'officer', 'u-tuan', { commonName: 'Phạm Minh Tuấn', userId: 'u-tuan', unitCode: ANPHU, unitName: 'UBND xã An Phú' });
    await signIn();
    // A PDF the specialist wrote elsewhere (here: made with pdfkit), unsigned, uploaded while the dossier is theirs.
    const draftOf = async (id: string, title: string) => (await renderResult({
      unit: { name: 'UBND xã An Phú' }, number: 'dự thảo', issuedAt: h.clock.now().toISOString(), title,
      procedure: { code: 'x', name: 'x' }, dossierCode: id, applicant: 'Kiều Thị Mỹ', facts: [], signing: { lines: ['CHỦ TỊCH'], signer: '' }, verifyUrl: 'http://x',
    })).pdf;
    const put = async (id: string, pdf: Buffer) => h.http.post(`/api/dossiers/${encodeURIComponent(id)}/result-draft`).set('Authorization', auth['hung']!).attach('file', pdf, 'kq.pdf');
    let draft: Buffer = Buffer.alloc(0);
    const id = await readyToSign(async (dossier) => {
      draft = await draftOf(dossier, 'Văn bản do chuyên viên soạn');
      const up = await put(dossier, draft);
      expect(up.status, JSON.stringify(up.body)).toBe(201);
    });
    // The leader reads what they will sign: the very bytes uploaded.
    const read = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/result-draft/file`).set('Authorization', auth['tuan']!)
      .buffer(true).parse((res, cb) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(read.body as Buffer, draft)).toBe(0);
    // While it waits for the leader, the draft cannot be swapped under them.
    const swap = await put(id, await draftOf(id, 'Văn bản khác'));
    expect(swap.status, JSON.stringify(swap.body)).toBe(409);
    expect(swap.body.error.code).toBe('DRAFT_LOCKED');
    expect((await approve(id)).status).toBe(200);
    const [r] = await results(id);
    expect(r).toMatchObject({ source: 'upload', number: '2/2026/KQ' });
    const report = await verify(await download(id, r!.id), r!.id);
    expect(report.verdict).toBe('valid');
  });
});
