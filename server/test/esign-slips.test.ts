/**
 * Sealed slips (docs/esign.md): a procedure with `settings.sealSlips` gets its receipt (form 01)
 * sealed with the receiving unit's certificate (PAdES), a QR code to the verification page, the
 * same bytes on every download; poppler's `pdfsig` and the verification service both accept it.
 * A procedure without the setting keeps unsealed slips. Real server, database, engine and PKI.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stream } from 'node:stream';
import type { ProcedureDefinition } from '@motcua/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { issuedDocuments, procedures, procedureVersions } from '../src/db/schema';
import { ensureDemoPki } from '../src/esign/keys';
import { findSignatures } from '../src/esign/pades';
import { ANPHU_STAFF, createHarness, login, seedPeople, type Harness } from './support/harness';

const ANPHU = '000.01.31.H99';
let h: Harness;
let dir: string;
let desk = '';
const hasPdfsig = spawnSync('pdfsig', ['-v']).error === undefined;

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Publishes the shipped marital-status procedure under `id`, sealing its slips or not. */
async function publish(id: string, sealSlips: boolean): Promise<void> {
  const def = JSON.parse(readFileSync(new URL('../../procedures/xac-nhan-tinh-trang-hon-nhan/procedure.json', import.meta.url), 'utf8')) as ProcedureDefinition;
  def.id = id;
  def.settings = { ...def.settings, ...(sealSlips ? { sealSlips: true } : {}) };
  await h.deps.db.insert(procedures).values({ id, code: `${def.catalog.code}${sealSlips ? '' : '.2'}`, name: def.catalog.name.vi, field: def.catalog.field });
  await h.deps.db.insert(procedureVersions).values({ procedureId: id, version: def.version, status: 'published', definition: def, effectiveFrom: '2026-01-01T00:00:00.000Z', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'fixture' });
}

async function receive(procedureId: string): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
    procedureId, channel: 'direct', receivingUnit: ANPHU,
    applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    accept: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

async function receipt(id: string): Promise<{ pdf: Buffer; digest: string }> {
  const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/slips/receipt`).set('Authorization', desk).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return { pdf: res.body as Buffer, digest: String(res.headers['digest']) };
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  dir = mkdtempSync(join(tmpdir(), 'motcua-esign-slips-'));
  await seedPeople(h, ANPHU_STAFF);
  await publish('xac-nhan-dong-dau', true);
  await publish('xac-nhan-khong-dau', false);
  await ensureDemoPki(h.deps);
  desk = await login(h, 'lan');
});
afterAll(async () => { await h?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('slips sealed with the unit\'s seal', () => {
  let id: string;
  let pdf: Buffer;

  it('should seal the receipt once: one signature, the same bytes on every download', async () => {
    id = await receive('xac-nhan-dong-dau');
    const first = await receipt(id);
    pdf = first.pdf;
    expect(findSignatures(pdf)).toHaveLength(1);
    expect(findSignatures(pdf)[0]).toMatchObject({ coversWholeFile: true });
    const again = await receipt(id);
    expect(again.pdf.equals(pdf)).toBe(true);
    expect(again.digest).toBe(first.digest);
  });

  it('should verify with poppler\'s pdfsig: a valid ETSI.CAdES.detached signature of the unit covering the whole file', () => {
    if (!hasPdfsig) {
      console.warn('pdfsig (poppler-utils) is not installed: the independent check is skipped; .ci/run installs it');
      return;
    }
    const path = join(dir, 'receipt.pdf');
    writeFileSync(path, pdf);
    const r = spawnSync('pdfsig', ['-nocert', path], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('Signature #1');
    expect(out).not.toContain('Signature #2');
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('ETSI.CAdES.detached');
    expect(out).toContain('UBND xã An Phú');
    expect(out).toContain('Total document signed');
  });

  it('should carry a QR code whose page knows the slip, and the verification service accepts the file', async () => {
    // the register's entry of the sealed slip: the id the QR code and the address beside it carry
    const [row] = await h.deps.db.select().from(issuedDocuments).where(and(eq(issuedDocuments.dossierId, id), eq(issuedDocuments.kind, 'slip')));
    const docId = row!.id;
    expect(row!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    const entry = await h.http.get(`/api/public/documents/${docId}`);
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({ kind: 'slip', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', unit: { code: ANPHU }, signers: [{ role: 'seal', name: 'UBND xã An Phú' }] });
    const res = await h.http.post('/api/public/documents/verify').attach('file', pdf, 'phieu.pdf').field('id', docId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'valid', hashMatches: true });
    // a changed byte: refused
    const bad = Buffer.from(pdf);
    bad[7] = bad[7] === 0x37 ? 0x36 : 0x37;
    const refused = await h.http.post('/api/public/documents/verify').attach('file', bad, 'phieu.pdf').field('id', docId);
    expect(refused.body).toMatchObject({ verdict: 'tampered', hashMatches: false });
  });

  it('should leave the slips of a procedure without the setting unsealed', async () => {
    const other = await receive('xac-nhan-khong-dau');
    const { pdf: plain } = await receipt(other);
    expect(findSignatures(plain)).toHaveLength(0);
  });
});
