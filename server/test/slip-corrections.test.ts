/**
 * Records issue 9 (docs/records.md): a correction issues a new slip naming the one it replaces
 * while the old one stays as issued; slip 01 lists the papers ticked at the desk and the legal
 * time of the dossier's case; non-geographic intake follows the province's list. Over HTTP
 * against the real server, database and engine; the clock is a ManualClock.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Stream } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { dossierSlips } from '../src/db/schema';

const PROVINCE = '000.00.00.H99';
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const HOUR = 3600_000;
let h: Harness;
const auth: { [name: string]: string } = {};
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const signIn = async () => { for (const u of ['lan', 'hung', 'tuan', 'vy']) auth[u] = await login(h, u); };
const pdfText = (pdf: Buffer): string => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

const MARITAL = { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' };

async function receive(body: object = {}): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU,
    applicant: { id: '079196004040', name: 'Kiều Thị Mi', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
    data: MARITAL, accept: true, ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

const action = (id: string, body: object, who = 'lan') =>
  h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send(body);

const slip = async (id: string, kind: string, seq?: number): Promise<Buffer> => {
  const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/slips/${kind}${seq ? `?seq=${seq}` : ''}`)
    .set('Authorization', auth['lan']!).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return res.body as Buffer;
};

const stored = (id: string, kind: string) =>
  h.deps.db.select().from(dossierSlips).where(and(eq(dossierSlips.dossierId, id), eq(dossierSlips.kind, kind))).orderBy(dossierSlips.eventSeq);

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'vy', grants: [{ role: 'designer', unit: PROVINCE }] }]);
  for (const p of ['xac-nhan-tinh-trang-hon-nhan', 'dang-ky-lai-ket-hon', 'dang-ky-giam-ho']) await publishFixture(h, p);
  await signIn();
});
afterAll(async () => { await h?.close(); });

describe('a correction issues a new slip that names the one it replaces; the old slip stays as issued (issued slips are records)', () => {
  it('should issue a corrected receipt stating "thay thế phiếu số … ngày …" with the corrected name, and still render the replaced receipt byte for byte', async () => {
    // given an accepted dossier whose receipt misspells the applicant's name
    const id = await receive();
    const [original] = await stored(id, 'receipt');
    const first = await slip(id, 'receipt');
    expect(pdfText(first)).toContain('Kiều Thị Mi');
    // when the next day the desk reissues it with the correct name
    h.clock.advance(24 * HOUR);
    await signIn();
    const res = await action(id, { step: '*', action: 'reissueSlip', inputs: { slip: 'receipt', reason: 'Sai chính tả họ tên', applicantName: 'Kiều Thị Mỹ' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // then a new receipt is stored, naming the one it replaces, its sha256 in the hash-chained history
    const rows = await stored(id, 'receipt');
    expect(rows).toHaveLength(2);
    const [, corrected] = rows;
    expect(corrected!.replacesSeq).toBe(original!.eventSeq);
    const latest = await slip(id, 'receipt');
    expect(sha(latest)).toBe(corrected!.sha256);
    const text = pdfText(latest);
    expect(text).toContain(`thay thế phiếu số ${original!.eventSeq} ngày 02/03/2026`);
    expect(text).toContain('Sai chính tả họ tên');
    expect(text).toContain('Kiều Thị Mỹ');
    // the appointment stays the one first given (lateness is judged against it)
    expect((corrected!.data as { dueAt: string }).dueAt).toBe((original!.data as { dueAt: string }).dueAt);
    const events = (await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/events`).set('Authorization', auth['lan']!)).body as
      { payload: { action?: string; slips?: { kind: string; sha256: string }[] } }[];
    expect(events.find((e) => e.payload.action === 'reissueSlip')?.payload.slips).toEqual([{ kind: 'receipt', sha256: corrected!.sha256 }]);
    const verify = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/verify`).set('Authorization', auth['lan']!);
    expect(verify.body).toMatchObject({ ok: true, matchesHead: true });
    // and the replaced receipt, asked for by its number, renders as it was issued
    expect(Buffer.compare(await slip(id, 'receipt', original!.eventSeq), first)).toBe(0);
  });

  it('should refuse to correct a slip that was never issued (409 SLIP_NOT_ISSUED), storing nothing and leaving the history as it was', async () => {
    const id = await receive();
    const before = (await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/events`).set('Authorization', auth['lan']!)).body as unknown[];
    const res = await action(id, { step: '*', action: 'reissueSlip', inputs: { slip: 'refusal', reason: 'Nhầm' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SLIP_NOT_ISSUED');
    expect(await stored(id, 'refusal')).toHaveLength(0);
    const after = (await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/events`).set('Authorization', auth['lan']!)).body as unknown[];
    expect(after).toHaveLength(before.length);
  });

  it('should let only the desk correct a slip and require the reason (422 with a pointer)', async () => {
    const id = await receive();
    const noReason = await action(id, { step: '*', action: 'reissueSlip', inputs: { slip: 'receipt' } });
    expect(noReason.status).toBe(422);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const specialist = await action(id, { step: '*', action: 'reissueSlip', inputs: { slip: 'receipt', reason: 'x' } }, 'hung');
    expect(specialist.status).toBe(403);
  });
});

describe('slip 01 (Circular 01/2018/TT-VPCP form 01) lists what the applicant handed in and the legal time of the case', () => {
  it('should list on the receipt the papers the desk ticked at intake, not every paper of the catalog', async () => {
    // given the applicant handed in only the declaration (the identity paper is one the catalog asks for)
    const id = await receive({ papers: ['declaration'] });
    const text = pdfText(await slip(id, 'receipt'));
    expect(text).toContain('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân');
    expect(text).not.toContain('chứng minh nhân thân');
  });

  it('should print on the receipt the legal time of the dossier\'s case (re-registration elsewhere: 13 working days, Decree 123/2015 Art. 27), not the base time', async () => {
    const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
      procedureId: 'dang-ky-lai-ket-hon', channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079196004041', name: 'Trần Văn Bình' },
      data: { husbandName: 'Trần Văn Bình', wifeName: 'Lê Thị Hoa', registeredAt: 'UBND xã Tân Lập', verifyElsewhere: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const text = pdfText(await slip((res.body as { id: string }).id, 'receipt'));
    expect(text).toContain('13 ngày làm việc');
    expect(text).not.toContain('(check)');
  });
});

describe('non-geographic intake follows the province\'s list (a catalog setting), not the definition\'s flag', () => {
  const intakeFor = (procedureId: string, data: object) => h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId, channel: 'direct', receivingUnit: ANPHU, competentUnit: BINHMINH,
    applicant: { id: '079196004042', name: 'Đỗ Văn Nam' }, data,
  });
  const GUARDIAN = { wardName: 'Đỗ Minh Khôi', wardDateOfBirth: '2015-05-01', guardianName: 'Đỗ Văn Nam', guardianRelation: 'Chú ruột', reason: 'orphan' };

  it('should receive for another commune a procedure on the province\'s list though its definition is not flagged, and refuse one flagged but left off the list', async () => {
    // given the province lists guardianship (1.004837) and not the marital-status certificate (1.004873)
    const put = await h.http.put('/api/settings/non-geographic').set('Authorization', auth['vy']!).send({ codes: ['1.004837'], decision: 'Quyết định 99/QĐ-UBND' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // when An Phú's desk receives both for Bình Minh
    const listed = await intakeFor('dang-ky-giam-ho', GUARDIAN);
    const unlisted = await intakeFor('xac-nhan-tinh-trang-hon-nhan', MARITAL);
    // then the listed one is received, the other refused
    expect(unlisted.status).toBe(422);
    expect(JSON.stringify(unlisted.body)).toContain('phi địa giới');
    expect(listed.status, JSON.stringify(listed.body)).toBe(201);
    // and with no list, each definition's flag stands again
    await h.http.put('/api/settings/non-geographic').set('Authorization', auth['vy']!).send({ codes: null });
    expect((await intakeFor('xac-nhan-tinh-trang-hon-nhan', MARITAL)).status).toBe(201);
  });
});
