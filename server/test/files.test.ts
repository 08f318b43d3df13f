import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from 'node:stream';
import PDFDocument from 'pdfkit';
import { eq } from 'drizzle-orm';
import type { DossierEvent } from '@motcua/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { documents } from '../src/db/schema';
import type { Db } from '../src/db/client';
import { within } from '../src/deps';
import { LocalBlobStore } from '../src/blobs';
import { storeDocument } from '../src/dossiers/files';
import { contentDisposition } from '../src/http/download';
import { detectType } from '../src/dossiers/fileType';
import { slipDataFor } from '../src/slips/data';
import { act as applyAction, SYSTEM_ACTOR } from '../src/dossiers/service';
import { history } from '../src/dossiers/service';
import { dossiers } from '../src/db/schema';
import { SLIP_KINDS, type SlipKind } from '../src/slips';

const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const MAX = 64 * 1024;
const HOUR = 3600_000;
let h: Harness;
let uploadDir: string;
const auth: { [name: string]: string } = {};

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
// The start of a Windows executable (MZ header, "This program cannot be run in DOS mode").
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(56), Buffer.from('This program cannot be run in DOS mode.\r\n')]);

/** A small real PDF, written by pdfkit. */
function smallPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6' });
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Giay to kem theo ho so');
    doc.end();
  });
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Every file under the upload folder, staged ones included (not the staging folders' heartbeats). */
function blobFiles(dir = uploadDir): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (name === 'alive') continue;
    out = statSync(p).isDirectory() ? [...out, ...blobFiles(p)] : [...out, p];
  }
  return out;
}

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const intakeBody = (extra: object = {}) => ({
  procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
  applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
  data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  ...extra,
});

async function receive(extra: object = {}): Promise<{ id: string; version: number }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send(intakeBody(extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number };
}

async function act(who: string, id: string, body: object): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const rowsOf = async (dossierId: string) => h.deps.db.select().from(documents).where(eq(documents.dossierId, dossierId));

const upload = (who: string, id: string, data: Buffer, filename: string, contentType: string, name?: string) => {
  const r = h.http.post(`/api/dossiers/${encodeURIComponent(id)}/documents`).set('Authorization', auth[who]!);
  if (name !== undefined) r.field('name', name);
  return r.attach('file', data, { filename, contentType });
};

beforeAll(async () => {
  // given a commune with a desk officer, a specialist, a deputy chair and the chair, and a specialist of another ward,
  // and a server that takes uploads of at most 64 KiB into a folder of its own
  uploadDir = mkdtempSync(join(tmpdir(), 'motcua-files-'));
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z', config: { uploadDir, maxUploadBytes: MAX, publicUrl: 'https://dichvucong.demo.vn/' } });
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'tuan', name: 'Phạm Minh Tuấn', grants: [{ role: 'leader', unit: ANPHU, position: 'deputy', title: 'PHÓ CHỦ TỊCH' }] },
    { username: 'chu', name: 'Trần Văn Chủ', grants: [{ role: 'leader', unit: ANPHU, position: 'head', title: 'CHỦ TỊCH' }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
    { username: 'quan', name: 'Võ Văn Quản', grants: [{ role: 'admin', unit: ANPHU }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  for (const u of ['lan', 'hung', 'tuan', 'chu', 'nam', 'quan']) auth[u] = await login(h, u);
});
afterAll(async () => {
  await h.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

describe('documents', () => {
  it('should store an uploaded PDF with its SHA-256 and serve back exactly the same bytes', async () => {
    // given an accepted dossier and a real PDF
    const d = await receive({ accept: true });
    const pdf = await smallPdf();
    // when the desk officer uploads it under a Vietnamese name
    const res = await upload('lan', d.id, pdf, 'to-khai.pdf', 'application/pdf', 'Tờ khai xác nhận tình trạng hôn nhân.pdf');
    // then the answer carries the checksum of the bytes
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      dossierId: d.id, name: 'Tờ khai xác nhận tình trạng hôn nhân.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha(pdf),
      uploadedBy: { id: 'u-lan', name: 'Nguyễn Thị Lan' },
    });
    // and the download returns identical bytes with type, name and ETag
    const got = await h.http.get(res.body.url).set('Authorization', auth['hung']!).buffer(true).parse(binary);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['etag']).toBe(`"${sha(pdf)}"`);
    expect(got.headers['cache-control']).toBe('private, no-store');
    expect(got.headers['content-disposition']).toBe(contentDisposition('attachment', 'Tờ khai xác nhận tình trạng hôn nhân.pdf'));
    expect(got.headers['content-disposition']).toContain("filename*=UTF-8''T%E1%BB%9D%20khai");
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
    // and a revalidation with the ETag is answered 304, a link opened in a new tab works with a signed download link
    const again = await h.http.get(res.body.url).set('Authorization', auth['hung']!).set('If-None-Match', `"${sha(pdf)}"`);
    expect(again.status).toBe(304);
    const link = await h.http.post('/api/auth/download-link').set('Authorization', auth['lan']!).send({ path: res.body.url });
    expect(link.status).toBe(200);
    const tab = await h.http.get(`${link.body.url}&disposition=inline`).buffer(true).parse(binary);
    expect(tab.status).toBe(200);
    expect(tab.headers['content-disposition']).toMatch(/^inline; /);
    expect(sha(tab.body as Buffer)).toBe(sha(pdf));
    // and the list shows it
    const list = await h.http.get(`/api/dossiers/${d.id}/documents`).set('Authorization', auth['tuan']!);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([res.body]);
  });

  it('should accept a PNG by its content, whatever type the browser declared', async () => {
    const d = await receive({ accept: true });
    const res = await upload('hung', d.id, PNG_1X1, 'anh-chan-dung.png', 'application/octet-stream');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ mime: 'image/png', size: PNG_1X1.length, sha256: sha(PNG_1X1), name: 'anh-chan-dung.png' });
    const got = await h.http.get(res.body.url).set('Authorization', auth['lan']!).buffer(true).parse(binary);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.body as Buffer, PNG_1X1)).toBe(0);
  });

  it('should refuse an executable renamed .pdf and declared application/pdf with 415, writing nothing', async () => {
    const d = await receive({ accept: true });
    const before = blobFiles().length;
    const res = await upload('lan', d.id, EXE, 'giay-to.pdf', 'application/pdf');
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', message: { vi: expect.stringContaining('PDF'), en: expect.stringContaining('PDF') } });
    expect(await rowsOf(d.id)).toHaveLength(0);
    expect(blobFiles()).toHaveLength(before);
    expect((await detectType(EXE))?.mime).not.toBe('application/pdf');
  });

  it('should refuse a file over the limit with 413 and a clear message, leaving no row and no blob', async () => {
    const d = await receive({ accept: true });
    const before = blobFiles().length;
    // just over the limit: stopped while streaming
    const over = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX - 8, 0x20)]);
    expect(over.length).toBe(MAX + 1);
    const res = await upload('lan', d.id, over, 'lon.pdf', 'application/pdf');
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'FILE_TOO_LARGE', maxBytes: MAX, message: { vi: expect.stringContaining('dung lượng'), en: expect.stringContaining('allowed size') } });
    // far over the limit: refused on its declared length
    const huge = await upload('lan', d.id, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * MAX, 0x20)]), 'rat-lon.pdf', 'application/pdf');
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('FILE_TOO_LARGE');
    expect(await rowsOf(d.id)).toHaveLength(0);
    expect(blobFiles()).toHaveLength(before);
    // a file of exactly the limit is fine
    const exact = await upload('lan', d.id, over.subarray(0, MAX), 'vua.pdf', 'application/pdf');
    expect(exact.status, JSON.stringify(exact.body)).toBe(201);
  });

  it('should answer an empty file 422, a body that is not multipart 415, a missing file 422', async () => {
    const d = await receive({ accept: true });
    const empty = await upload('lan', d.id, Buffer.alloc(0), 'rong.pdf', 'application/pdf');
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('FILE_EMPTY');
    const json = await h.http.post(`/api/dossiers/${d.id}/documents`).set('Authorization', auth['lan']!).send({ file: 'JVBERi0=' });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('NOT_MULTIPART');
    const none = await h.http.post(`/api/dossiers/${d.id}/documents`).set('Authorization', auth['lan']!).field('name', 'x');
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('FILE_MISSING');
    const broken = await h.http.post(`/api/dossiers/${d.id}/documents`).set('Authorization', auth['lan']!)
      .set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1');
    expect(broken.status).toBe(400);
    expect(await rowsOf(d.id)).toHaveLength(0);
  });

  it('should keep other units and other roles out: 403; unknown dossiers and documents: 404', async () => {
    const d = await receive({ accept: true });
    const ok = await upload('lan', d.id, PNG_1X1, 'a.png', 'image/png');
    expect(ok.status).toBe(201);
    // another unit's officer may neither upload, list nor download
    expect((await upload('nam', d.id, PNG_1X1, 'a.png', 'image/png')).status).toBe(403);
    expect((await h.http.get(`/api/dossiers/${d.id}/documents`).set('Authorization', auth['nam']!)).status).toBe(403);
    expect((await h.http.get(ok.body.url).set('Authorization', auth['nam']!)).status).toBe(403);
    expect((await h.http.get(`/api/dossiers/${d.id}/slips/control`).set('Authorization', auth['nam']!)).status).toBe(403);
    // a leader of the unit sees the papers but does not attach them
    const leader = await upload('tuan', d.id, PNG_1X1, 'a.png', 'image/png');
    expect(leader.status).toBe(403);
    expect((await h.http.get(ok.body.url).set('Authorization', auth['tuan']!)).status).toBe(200);
    // unknown ids
    expect((await upload('lan', 'KHONG-CO', PNG_1X1, 'a.png', 'image/png')).status).toBe(404);
    expect((await h.http.get('/api/dossiers/KHONG-CO/documents').set('Authorization', auth['lan']!)).status).toBe(404);
    expect((await h.http.get(`/api/dossiers/${d.id}/documents/khong-co`).set('Authorization', auth['lan']!)).status).toBe(404);
    expect((await h.http.get('/api/dossiers/KHONG-CO/slips/receipt').set('Authorization', auth['lan']!)).status).toBe(404);
    // a document is only found under its own dossier
    const other = await receive({ accept: true });
    expect((await h.http.get(`/api/dossiers/${other.id}/documents/${ok.body.id as string}`).set('Authorization', auth['lan']!)).status).toBe(404);
    // without a token
    expect((await h.http.get(ok.body.url)).status).toBe(401);
    expect(await rowsOf(d.id)).toHaveLength(1);
  });

  it('should never serve bytes that no longer match their checksum: 409 DOCUMENT_CHECKSUM_MISMATCH', async () => {
    const d = await receive({ accept: true });
    const res = await upload('lan', d.id, PNG_1X1, 'a.png', 'image/png');
    const [row] = await rowsOf(d.id);
    writeFileSync(join(uploadDir, ...row!.storageKey.split('/')), Buffer.concat([PNG_1X1, Buffer.from('x')]));
    const got = await h.http.get(res.body.url).set('Authorization', auth['lan']!);
    expect(got.status).toBe(409);
    expect(got.headers['content-type']).toMatch(/json/);
    expect(got.body.error.code).toBe('DOCUMENT_CHECKSUM_MISMATCH');
  });

  it('should store once for a retried upload with the same Idempotency-Key', async () => {
    const d = await receive({ accept: true });
    const before = blobFiles().length;
    const send = () => upload('lan', d.id, PNG_1X1, 'a.png', 'image/png').set('Idempotency-Key', `doc-${d.id}`);
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await rowsOf(d.id)).toHaveLength(1);
    expect(blobFiles()).toHaveLength(before + 1);
  });

  it('should not attach papers to a closed dossier', async () => {
    const d = await receive();
    await act('lan', d.id, { step: 'intake', action: 'refuse', inputs: { reason: 'Không thuộc thẩm quyền' } });
    const res = await upload('lan', d.id, PNG_1X1, 'a.png', 'image/png');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DOSSIER_CLOSED');
  });

  it('should remove the blob again when the row cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-blobs-'));
    try {
      const blobs = new LocalBlobStore(dir);
      // the dossier does not exist: the foreign key refuses the row
      await expect(storeDocument(blobs, { dossierId: 'KHONG-CO', name: 'a.png', mime: 'image/png', data: PNG_1X1, uploadedBy: 'u-lan', createdAt: new Date().toISOString() },
        async (values) => (await h.deps.db.insert(documents).values(values).returning())[0]!)).rejects.toThrow();
      expect(blobFiles(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should stage bytes in shared memory (an upload\'s) through the writer as it stages others: whole, in a staging folder made again if it went, never over a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-blobs-'));
    try {
      const blobs = new LocalBlobStore(dir);
      const inShared = (b: Buffer) => {
        const out = Buffer.from(new SharedArrayBuffer(b.length));
        b.copy(out);
        return out;
      };
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0xab);
      for (const [key, data] of [['cd/shared-1', inShared(big)], ['cd/plain-1', big]] as const) {
        const staged = await blobs.stage(key, data);
        expect(await blobs.get(key)).toBeNull();
        await staged.promote();
        expect(Buffer.compare((await blobs.get(key))!, big)).toBe(0);
      }
      // The staging folder removed by hand: made again for the next file.
      rmSync(join(dir, '.tmp'), { recursive: true, force: true });
      await (await blobs.stage('cd/shared-2', inShared(PNG_1X1))).promote();
      expect(Buffer.compare((await blobs.get('cd/shared-2'))!, PNG_1X1)).toBe(0);
      // A staged file of that key already there (another process's): refused, and left as it was.
      const first = await blobs.stage('cd/shared-3', inShared(PNG_1X1));
      await expect(blobs.stage('cd/shared-3', inShared(big))).rejects.toMatchObject({ code: 'EEXIST' });
      await first.promote();
      expect(Buffer.compare((await blobs.get('cd/shared-3'))!, PNG_1X1)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should keep blobs inside their folder and write them whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-blobs-'));
    try {
      const blobs = new LocalBlobStore(dir);
      for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a\\b', '.tmp/x', 'A', '', 'a//b', 'a/b/']) {
        await expect(blobs.put(key, PNG_1X1), key).rejects.toThrow(/blob key/i);
        await expect(blobs.get(key), key).rejects.toThrow(/blob key/i);
      }
      await blobs.put('ab/abc-1', PNG_1X1);
      expect(Buffer.compare((await blobs.get('ab/abc-1'))!, PNG_1X1)).toBe(0);
      expect(await blobs.get('ab/none')).toBeNull();
      await blobs.delete('ab/abc-1');
      await blobs.delete('ab/abc-1');
      expect(await blobs.get('ab/abc-1')).toBeNull();
      expect(blobFiles(join(dir, '.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('slips', () => {
  const slip = (who: string, id: string, kind: string) =>
    h.http.get(`/api/dossiers/${encodeURIComponent(id)}/slips/${kind}`).set('Authorization', auth[who]!).buffer(true).parse(binary);
  const ids: { [name: string]: string } = {};

  // Tokens last a working day: moving the clock means signing in again.
  const signIn = async () => { for (const u of ['lan', 'hung', 'tuan', 'chu', 'nam', 'quan']) auth[u] = await login(h, u); };
  const setClock = async (at: string) => { h.clock.set(at); await signIn(); };
  const advance = async (ms: number) => { h.clock.advance(ms); await signIn(); };

  beforeAll(async () => {
    await setClock('2026-03-02T01:15:00.000Z'); // Monday 08:15 in Hà Nội
    // A: accepted, proposed an hour later, extended and approved by the deputy chair the next day, returned
    const a = await receive({ accept: true });
    await advance(HOUR);
    await act('hung', a.id, { step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
    await advance(24 * HOUR);
    await act('tuan', a.id, { step: 'sign', action: 'extend', inputs: { days: 2, reason: 'Cần xác minh tại nơi cư trú trước đây' } });
    await act('tuan', a.id, { step: 'sign', action: 'approve' });
    await act('lan', a.id, { step: 'return', action: 'returnResult' });
    ids['a'] = a.id;
    // B: accepted, supplement requested by the specialist, never completed: stopped by the system
    await setClock('2026-03-02T02:00:00.000Z');
    const b = await receive({ accept: true });
    await act('hung', b.id, { step: 'verify', action: 'requestSupplement', inputs: { reason: 'Thiếu bản án ly hôn', documents: ['divorceProof', 'Giấy xác nhận nơi cư trú'] } });
    await advance(45 * 24 * HOUR);
    await h.deps.db.transaction(async (tx) => {
      await applyAction(within(h.deps, tx as unknown as Db), tx, SYSTEM_ACTOR, b.id, { step: 'supplementWait', action: 'expire' });
    });
    ids['b'] = b.id;
    // C: refused at the desk
    const c = await receive();
    await act('lan', c.id, { step: 'intake', action: 'refuse', inputs: { reason: 'Người yêu cầu không cư trú tại xã An Phú' } });
    ids['c'] = c.id;
    // D: accepted, then lawful extra time for verification (a notice, not an apology)
    const d = await receive({ accept: true });
    await act('hung', d.id, { step: 'verify', action: 'extraTime', inputs: { days: 2, reason: 'Cần xác minh tại nơi thường trú trước đây' } });
    ids['d'] = d.id;
  });

  const issuedOn: { [k in SlipKind]: string } = {
    receipt: 'a', 'supplement-request': 'b', refusal: 'c', apology: 'a', control: 'a', 'stop-notice': 'b', 'extra-time-notice': 'd',
  };

  it.each(SLIP_KINDS.map((k) => [k]))('should print the %s slip as a PDF', async (kind) => {
    const res = await slip('lan', ids[issuedOn[kind]]!, kind);
    expect(res.status, (res.body as Buffer).toString('utf8').slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename=".*\.pdf"; filename\*=UTF-8''/);
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('should answer 409 for a slip nothing has issued, 400 for an unknown kind', async () => {
    const refusal = await h.http.get(`/api/dossiers/${ids['a']!}/slips/refusal`).set('Authorization', auth['lan']!);
    expect(refusal.status).toBe(409);
    expect(refusal.body.error).toMatchObject({ code: 'SLIP_NOT_ISSUED', message: { vi: expect.any(String), en: expect.any(String) } });
    expect((await h.http.get(`/api/dossiers/${ids['c']!}/slips/receipt`).set('Authorization', auth['lan']!)).status).toBe(409);
    expect((await h.http.get(`/api/dossiers/${ids['a']!}/slips/form-99`).set('Authorization', auth['lan']!)).status).toBe(400);
  });

  it('should open in a new tab with a signed download link', async () => {
    const link = await h.http.post('/api/auth/download-link').set('Authorization', auth['hung']!).send({ path: `/api/dossiers/${ids['a']!}/slips/receipt` });
    const res = await h.http.get(link.body.url).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect((res.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  const dataOf = async (key: string, kind: SlipKind) => {
    const [row] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, ids[key]!));
    return slipDataFor(h.deps, row!, kind);
  };

  it('should fill the receipt from the catalog, the appointment and the tracking address', async () => {
    const data = await dataOf('a', 'receipt');
    expect(data).toMatchObject({
      dossierCode: ids['a'],
      procedure: { code: '1.004873', name: 'Cấp Giấy xác nhận tình trạng hôn nhân', legalDeadline: '03 ngày làm việc' },
      unit: { name: 'UBND xã An Phú' },
      place: 'An Phú',
      applicant: { name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
      receivedAt: '2026-03-02T01:15:00.000Z',
      dueAt: '2026-03-05T10:00:00.000Z',
      issuedAt: '2026-03-02T01:15:00.000Z',
      officer: { name: 'Nguyễn Thị Lan' },
      trackingUrl: `https://dichvucong.demo.vn/tra-cuu/${ids['a']!}?k=${(await h.deps.db.select().from(dossiers).where(eq(dossiers.id, ids['a']!)))[0]!.lookupToken}`,
      returnAt: 'Bộ phận Một cửa – UBND xã An Phú',
    });
    // never married: no divorce papers; optional papers are not listed
    expect(data.documents?.map((d) => d.name)).toEqual([
      'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân',
      'Giấy tờ chứng minh nhân thân của người đi đăng ký (thẻ Căn cước, hộ chiếu…)',
    ]);
  });

  it('should take the reasons of supplement, refusal and stop from the actions that issued them', async () => {
    const supplement = await dataOf('b', 'supplement-request');
    expect(supplement.reason).toBe('Thiếu bản án ly hôn');
    expect(supplement.officer).toEqual({ name: 'Lê Văn Hùng' });
    expect(supplement.documents).toEqual([
      { name: 'Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng (đã từng kết hôn)', form: 'Bản sao có chứng thực', count: 1 },
      { name: 'Giấy xác nhận nơi cư trú', form: '', count: 1 },
    ]);
    const refusal = await dataOf('c', 'refusal');
    expect(refusal).toMatchObject({ reason: 'Người yêu cầu không cư trú tại xã An Phú', officer: { name: 'Nguyễn Thị Lan' }, unit: { name: 'UBND xã An Phú' } });
    const stop = await dataOf('b', 'stop-notice');
    expect(stop.reason).toBe('Hết hạn bổ sung, dừng giải quyết');
    expect(stop.officer).toBeUndefined();
    // nobody signed this dossier: the chair of the commune signs for the committee
    expect(stop.signing).toEqual({ lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'], signer: 'Trần Văn Chủ' });
    // the stop notice is an administrative document: number (left for the clerk), symbol, basis, recipients
    expect(stop.document).toMatchObject({ symbol: 'TB-UBND', recipients: ['Như trên', 'Bộ phận Một cửa – UBND xã An Phú', 'Lưu: VT, hồ sơ'] });
    expect(stop.document?.number).toBeUndefined();
    expect(stop.document?.basis[0]).toMatch(/^Nghị định số 118\/2025\/NĐ-CP/);
  });

  it('should give the apology the missed and the new appointment, the reason and the deputy\'s signing formula', async () => {
    const data = await dataOf('a', 'apology');
    // due Thursday 5 March 17:00; two working days later: Monday 9 March 17:00
    expect(data).toMatchObject({
      originalDueAt: '2026-03-05T10:00:00.000Z', dueAt: '2026-03-09T10:00:00.000Z',
      reason: 'Cần xác minh tại nơi cư trú trước đây', issuedAt: '2026-03-03T02:15:00.000Z',
      signing: { lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'], signer: 'Phạm Minh Tuấn' },
    });
  });

  it('should list one control-slip row per hand-off, with who handed over, who received and the result against each step\'s due date', async () => {
    const data = await dataOf('a', 'control');
    const events = (await history(h.deps, ids['a']!)).map((e) => e.payload as DossierEvent);
    const handoffs = events.filter((e) => e.type === 'action.applied' && e.from.length > 0 && e.to.length > 0);
    // accept, propose, approve, return — the extension stays in its step
    expect(handoffs).toHaveLength(4);
    expect(data.handoffs).toHaveLength(handoffs.length);
    expect(data.handoffs).toEqual([
      { from: 'Nguyễn Thị Lan – Tiếp nhận hồ sơ', to: 'Lê Văn Hùng – Tra cứu, xác minh tình trạng hôn nhân', at: '2026-03-02T01:15:00.000Z', result: null, note: 'Tiếp nhận và chuyển xử lý' },
      { from: 'Lê Văn Hùng – Tra cứu, xác minh tình trạng hôn nhân', to: 'Phạm Minh Tuấn – Lãnh đạo UBND xã ký Giấy xác nhận', at: '2026-03-02T02:15:00.000Z', result: 'early', note: 'Trình ký kết quả' },
      { from: 'Phạm Minh Tuấn – Lãnh đạo UBND xã ký Giấy xác nhận', to: 'Nguyễn Thị Lan – Trả Giấy xác nhận tình trạng hôn nhân', at: '2026-03-03T02:15:00.000Z', result: 'late', note: 'Phê duyệt, ký' },
      { from: 'Nguyễn Thị Lan – Trả Giấy xác nhận tình trạng hôn nhân', to: 'Kiều Thị Mỹ (người nộp hồ sơ) – Đã trả kết quả', at: '2026-03-03T02:15:00.000Z', result: 'on-time', note: 'Trả kết quả cho công dân' },
    ]);
    // form 05 has no signature block below its table; it keeps the appointment of slip 01 beside the moved one
    expect(data.signing).toBeUndefined();
    expect(data).toMatchObject({ originalDueAt: '2026-03-05T10:00:00.000Z', dueAt: '2026-03-09T10:00:00.000Z' });
    // a dossier waiting for the citizen: the hand-off to the applicant and back is listed too
    const b = await dataOf('b', 'control');
    expect(b.handoffs?.map((x) => x.to)).toEqual([
      'Lê Văn Hùng – Tra cứu, xác minh tình trạng hôn nhân',
      'Kiều Thị Mỹ (người nộp hồ sơ) – Chờ công dân bổ sung (tạm dừng thời hạn)',
      'Kiều Thị Mỹ (người nộp hồ sơ) – Dừng giải quyết',
    ]);
  });

  it('should head slips 01–03 with the one-stop body the unit set, under the commune, and name the locality on the place line (Decree 118/2025; Decree 30/2020, Annex I)', async () => {
    // given An Phú's administrator names its Public Administration Service Centre
    const set = await h.http.patch(`/api/units/${ANPHU}`).set('Authorization', auth['quan']!).send({ oneStopName: 'Trung tâm Phục vụ hành chính công xã An Phú' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ oneStopName: 'Trung tâm Phục vụ hành chính công xã An Phú' });
    try {
      // when a dossier is accepted and another refused at the desk
      const accepted = await receive({ accept: true });
      const refused = await receive();
      await act('lan', refused.id, { step: 'intake', action: 'refuse', inputs: { reason: 'Không thuộc thẩm quyền' } });
      const text = async (id: string, kind: string): Promise<string> => {
        const res = await slip('lan', id, kind);
        expect(res.status).toBe(200);
        return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: res.body as Buffer }).toString('utf8').replace(/\s+/g, ' ');
      };
      // then both are headed by the centre under the commune's committee, the place line names An Phú
      for (const [id, kind] of [[accepted.id, 'receipt'], [refused.id, 'refusal']] as const) {
        const t = await text(id, kind);
        expect(t).toContain('ỦY BAN NHÂN DÂN XÃ AN PHÚ');
        // (pdftotext reads the two heading columns line by line, interleaved)
        expect(t).toContain('TRUNG TÂM PHỤC VỤ HÀNH');
        expect(t).toContain('CHÍNH CÔNG XÃ AN PHÚ');
        expect(t).toContain('Trung tâm Phục vụ hành chính công xã An Phú');
        expect(t).toMatch(/An Phú, ngày \d\d tháng \d{1,2} năm \d{4}/u);
        expect(t).not.toContain('xã An Phú, ngày');
      }
      // and the receipt sends the citizen to collect the result at that centre, not at a "Bộ phận Một cửa" the commune no longer has
      const receipt = await text(accepted.id, 'receipt');
      expect(receipt).toContain('Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã An Phú');
      expect(receipt).not.toContain('Bộ phận Một cửa –');
      // and the control slip (form 05) stays the committee's own
      expect(await text(accepted.id, 'control')).not.toContain('TRUNG TÂM PHỤC VỤ');
    } finally {
      await h.http.patch(`/api/units/${ANPHU}`).set('Authorization', auth['quan']!).send({ oneStopName: null });
    }
  });

  it('should document the upload, download and slip routes in OpenAPI', async () => {
    const doc = await h.http.get('/api/openapi.json');
    const paths = doc.body.paths as { [p: string]: { [m: string]: { responses: { [s: string]: unknown } } } };
    expect(Object.keys(paths['/api/dossiers/{id}/documents'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(paths['/api/dossiers/{id}/documents']?.['post']?.responses).toHaveProperty('413');
    // the upload's body is described as the multipart form it is, with the file required
    expect(paths['/api/dossiers/{id}/documents']?.['post']).toMatchObject({
      requestBody: { content: { 'multipart/form-data': { schema: { required: ['file'], properties: { file: { format: 'binary' } } } } } },
    });
    expect(paths['/api/dossiers/{id}/documents/{docId}']?.['get']).toBeDefined();
    expect(paths['/api/dossiers/{id}/slips/{kind}']?.['get']?.responses['200']).toMatchObject({ content: { 'application/pdf': expect.anything() } });
  });
});

