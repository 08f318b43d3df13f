/**
 * Uploads as a hostile citizen's file would arrive (issue 8, hole 12): a polyglot — `%PDF-`
 * followed by an HTML page a browser would run — must be refused, and a stored name never
 * keeps a misleading extension: it takes the one of the type detected from the content.
 */
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, PDFString } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from '../../server/test/support/harness';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const POLYGLOTS: [string, Buffer][] = [
  ['%PDF- then an HTML page', Buffer.from('%PDF-1.4\n<html><body><script>fetch("/api/auth/me")</script></body></html>\n%%EOF')],
  ['%PDF- then an SVG with script', Buffer.from('%PDF-1.7\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')],
  ['a PDF with a JavaScript action', Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF')],
  ['a PNG carrying a script after its end', Buffer.concat([PNG_1X1, Buffer.from('<script>alert(1)</script>')])],
];

/** A real one-page PDF (pdf-lib, objects compressed in object streams) whose opening runs `action`. */
async function pdfWithOpenAction(action: { [key: string]: string }): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('To khai');
  const entries: { [key: string]: PDFName | PDFString | PDFHexString } = { Type: PDFName.of('Action') };
  for (const [k, v] of Object.entries(action)) entries[k] = k === 'S' ? PDFName.of(v) : k === 'URI' ? PDFHexString.fromText(v) : PDFString.of(v);
  // An indirect object: pdf-lib writes it inside a compressed object stream.
  doc.catalog.set(PDFName.of('OpenAction'), doc.context.register(doc.context.obj(entries)));
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

/**
 * A benign PDF whose page content is a Flate stream holding, byte for byte, '/JS (' and
 * '<html>': a stored (level 0) deflate block keeps its input verbatim, as compressed image
 * data may spell anything.
 */
async function benignPdfWithScriptBytes(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([200, 200]);
  page.drawText('Giay to');
  const bytes = deflateSync(Buffer.from('% /JS (app.alert(1)) /JavaScript <html><script> javascript:\nq Q\n'), { level: 0 });
  const stream = doc.context.stream(bytes, { Filter: 'FlateDecode' });
  page.node.addContentStream(doc.context.register(stream));
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

let h: Harness;
let desk: string;
let dossier = '';

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, ANPHU_STAFF);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  desk = await login(h, 'lan');
  const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: '000.01.31.H99', accept: true,
    applicant: { name: 'Kiều Thị Mỹ' }, data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
  });
  expect(res.status).toBe(201);
  dossier = (res.body as { id: string }).id;
});
afterAll(async () => h.close());

const upload = (data: Buffer, filename: string, contentType: string) =>
  h.http.post(`/api/dossiers/${encodeURIComponent(dossier)}/documents`).set('Authorization', desk).attach('file', data, { filename, contentType });

describe('uploads', () => {
  it.each(POLYGLOTS)('should refuse %s with 415, storing nothing', async (_what, data) => {
    const res = await upload(data, 'giay-to.pdf', 'application/pdf');
    expect(res.status, JSON.stringify(res.body)).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'FILE_ACTIVE_CONTENT', message: { vi: expect.stringContaining('mã lệnh'), en: expect.stringContaining('script') } });
    const list = await h.http.get(`/api/dossiers/${encodeURIComponent(dossier)}/documents`).set('Authorization', desk);
    expect(list.body).toEqual([]);
  });

  it('should refuse real PDFs whose opening runs JavaScript, launches a program or opens a javascript: link, found by parsing their compressed objects', async () => {
    const actions: { [key: string]: string }[] = [{ S: 'JavaScript', JS: 'app.alert(1)' }, { S: 'Launch', F: 'cmd.exe' }, { S: 'URI', URI: 'javascript:alert(1)' }];
    for (const action of actions) {
      const data = await pdfWithOpenAction(action);
      // the action sits in a compressed object stream: no '/JS' nor '/Launch' in the file's bytes
      expect(data.toString('latin1')).not.toMatch(/\/(?:JS|Launch)\b/);
      const res = await upload(data, 'to-khai.pdf', 'application/pdf');
      expect(res.status, JSON.stringify(res.body)).toBe(415);
      expect(res.body.error.code).toBe('FILE_ACTIVE_CONTENT');
    }
  });

  it('should accept a benign PDF whose compressed stream holds the bytes "/JS (" and "<html>"', async () => {
    const data = await benignPdfWithScriptBytes();
    expect(data.toString('latin1')).toContain('/JS (app.alert(1))');
    const res = await upload(data, 'giay-to.pdf', 'application/pdf');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.name).toBe('giay-to.pdf');
  });

  it('should refuse a PDF whose object stream inflates to 500 MB once its check runs out of time, answering other requests meanwhile', async () => {
    // 500 KB on the wire; parsed on the request thread it held it for seconds and 640 MB.
    const inflated = deflateSync(Buffer.alloc(500 * 1024 * 1024, 0x20), { level: 9 });
    const bomb = Buffer.concat([
      Buffer.from(`%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n3 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${inflated.length}>>stream\n`),
      inflated, Buffer.from('\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
    ]);
    const limit = h.deps.config.uploadCheckMs;
    h.deps.config.uploadCheckMs = 1500;
    try {
      const order: string[] = [];
      const sent = upload(bomb, 'giay-to.pdf', 'application/pdf').then((r) => { order.push('upload'); return r; });
      const health = h.http.get('/healthz').then((r) => { order.push('healthz'); return r; });
      const [res, ok] = await Promise.all([sent, health]);
      expect(ok.status).toBe(200);
      expect(order).toEqual(['healthz', 'upload']);
      expect(res.status, JSON.stringify(res.body)).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'FILE_UNCHECKABLE', message: { vi: expect.stringContaining('1.5 giây'), en: expect.stringContaining('1.5 s') } });
      // the checker came back for the next file
      expect((await upload(PDF, 'to-khai.pdf', 'application/pdf')).status).toBe(201);
    } finally {
      h.deps.config.uploadCheckMs = limit;
    }
  });

  it('should store a name with the extension of the detected type, not the claimed one', async () => {
    const cases: [Buffer, string, string][] = [
      [PNG_1X1, 'trang-1.html', 'trang-1.png'],
      [PDF, 'to-khai.pdf.exe', 'to-khai.pdf'],
      [PDF, 'Tờ khai', 'Tờ khai.pdf'],
      [PNG_1X1, 'anh.jpeg', 'anh.png'],
      [PDF, 'Giấy khai sinh.PDF', 'Giấy khai sinh.PDF'],
    ];
    for (const [data, claimed, stored] of cases) {
      const res = await upload(data, claimed, 'text/html');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.name).toBe(stored);
    }
  });
});

describe('a crafted file on the public verification page (anyone may send one)', () => {
  /**
   * `count` signature dictionaries whose byte ranges each cover the whole file around one
   * /Contents: each signature read copies and hashes about all of it, and the page read every
   * one (all copies held at once: 2,000 such entries in a 10 MB file are 20 GB).
   */
  function manySignatures(count: number, bytes: number): Buffer {
    const head = '%PDF-1.7\n';
    const contents = `<3000${'0'.repeat(60)}>`;
    const c = head.length + contents.length;
    const entries = `\n<< /Type /Sig /ByteRange [0 ${head.length} ${c} ${bytes - c}] /M (D:20260302081500) >>`.repeat(count);
    const tail = '\n%%EOF';
    return Buffer.from(`${head}${contents}${entries}\n%${'x'.repeat(bytes - c - entries.length - tail.length - 2)}${tail}`, 'latin1');
  }

  it('should refuse a file with more signatures than any issued document carries, reading none of them (422 with a pointer)', async () => {
    const file = manySignatures(200, 1024 * 1024);
    expect(file.length).toBe(1024 * 1024);
    const res = await h.http.post('/api/public/documents/verify').attach('file', file, 'ket-qua.pdf');
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'TOO_MANY_SIGNATURES', message: { vi: expect.stringContaining('chữ ký số'), en: expect.stringContaining('digital signatures') },
      issues: [{ path: '/file' }],
    });
  });

  it('should still read a file with a few such signatures, and find none of them valid', async () => {
    const res = await h.http.post('/api/public/documents/verify').attach('file', manySignatures(3, 64 * 1024), 'ket-qua.pdf');
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'tampered', hashMatches: false, document: null });
    expect(res.body.signatures).toHaveLength(3);
    expect(res.body.signatures.every((s: { intact: boolean; trusted: boolean }) => !s.intact && !s.trusted)).toBe(true);
  });
});
