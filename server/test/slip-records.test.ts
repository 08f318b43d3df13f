/**
 * Issued slips are records (docs/records.md): a slip is rendered from the data stored when it
 * was first produced, so the citizen's proof never changes, and it prints the dossier as it
 * was when issued. Over HTTP against the real server, database and engine; the clock is a
 * ManualClock.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Stream } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { dossierSlips } from '../src/db/schema';

const ANPHU = '000.01.31.H99';
const HOUR = 3600_000;
let h: Harness;
const auth: { [name: string]: string } = {};
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const binary = (res: Stream, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const signIn = async () => { for (const u of ['lan', 'hung', 'tuan']) auth[u] = await login(h, u); };

async function receive(channel = 'direct'): Promise<string> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel, receivingUnit: ANPHU,
    applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', address: 'Ấp 3, xã An Phú' },
    data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    accept: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: string }).id;
}

async function act(who: string, id: string, body: object): Promise<void> {
  const res = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth[who]!).send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const slip = async (id: string, kind: string): Promise<{ body: Buffer; digest: string }> => {
  const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/slips/${kind}`).set('Authorization', auth['lan']!).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  return { body: res.body as Buffer, digest: res.headers['digest'] as string };
};

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [
    { username: 'lan', name: 'Nguyễn Thị Lan', grants: [{ role: 'desk', unit: ANPHU }] },
    { username: 'hung', name: 'Lê Văn Hùng', grants: [{ role: 'specialist', unit: ANPHU }] },
    { username: 'tuan', name: 'Phạm Minh Tuấn', grants: [{ role: 'leader', unit: ANPHU, position: 'deputy', title: 'PHÓ CHỦ TỊCH' }] },
  ]);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  await signIn();
});
afterAll(async () => { await h?.close(); });

type Event = { seq: number; type: string; payload: { slips?: { kind: string; sha256: string }[] } };
const events = async (id: string): Promise<Event[]> =>
  (await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/events`).set('Authorization', auth['lan']!)).body as Event[];
/** The sha256 the history event that issued a slip of `kind` records for it. */
const inHistory = async (id: string, kind: string): Promise<string | undefined> =>
  (await events(id)).flatMap((e) => e.payload.slips ?? []).filter((x) => x.kind === kind).at(-1)?.sha256;

describe('issued slips are records (Circular 01/2018/TT-VPCP forms 01–05: a slip handed out is evidence and never changes)', () => {
  it('should give the same bytes for an issued slip downloaded twice a day apart, after the dossier changed, matching the sha256 in the history', async () => {
    // given an accepted dossier that was granted lawful extra time, whose slips are downloaded on the day
    const id = await receive();
    await act('hung', id, { step: 'verify', action: 'extraTime', inputs: { days: 2, reason: 'Cần xác minh tại nơi thường trú trước đây' } });
    const receipt = await slip(id, 'receipt');
    const notice = await slip(id, 'extra-time-notice');
    // when a day later the dossier moves on (proposed, then an apology moves its appointment again)
    h.clock.advance(24 * HOUR);
    await signIn();
    await act('hung', id, { step: 'verify', action: 'propose', inputs: { certificateNo: '41/2026/XNTTHN' } });
    await act('tuan', id, { step: 'sign', action: 'extend', inputs: { days: 1, reason: 'Lãnh đạo đi công tác' } });
    // then both slips download byte for byte as first issued
    expect(Buffer.compare((await slip(id, 'receipt')).body, receipt.body)).toBe(0);
    expect(Buffer.compare((await slip(id, 'extra-time-notice')).body, notice.body)).toBe(0);
    // and the hash-chained history recorded their sha256 when they were issued
    expect(await inHistory(id, 'receipt')).toBe(sha(receipt.body));
    expect(await inHistory(id, 'extra-time-notice')).toBe(sha(notice.body));
    expect(receipt.digest).toBe(`sha-256=${Buffer.from(sha(receipt.body), 'hex').toString('base64')}`);
    const verify = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/verify`).set('Authorization', auth['lan']!);
    expect(verify.body).toMatchObject({ ok: true, matchesHead: true });
  });

  it('should store a slip when the action issues it, not when it is first downloaded, with the dossier as the action left it', async () => {
    // given a dossier accepted at the desk (the action issues the receipt, slip 01)
    const id = await receive();
    const [atIssue] = await h.deps.db.select().from(dossierSlips).where(and(eq(dossierSlips.dossierId, id), eq(dossierSlips.kind, 'receipt')));
    // then the receipt is stored at once, before anyone downloads it, and its sha256 is in the history
    expect(atIssue).toBeDefined();
    expect(await inHistory(id, 'receipt')).toBe(atIssue!.sha256);
    const data = atIssue!.data as { dueAt: string; issuedAt: string };
    expect(data.issuedAt).toBe(h.clock.now().toISOString());
    // when an apology later moves the appointment and the receipt is then downloaded
    h.clock.advance(HOUR);
    await signIn();
    await act('hung', id, { step: 'verify', action: 'extend', inputs: { days: 2, reason: 'Chậm do thiếu người' } });
    const receipt = await slip(id, 'receipt');
    // then it still holds the first appointment, the one of the day it was issued
    expect(sha(receipt.body)).toBe(atIssue!.sha256);
    const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}`).set('Authorization', auth['lan']!);
    const clock = (res.body as { clock: { originalDueAt: string; dueAt: string } }).clock;
    expect(data.dueAt).toBe(new Date(clock.originalDueAt).toISOString());
    expect(clock.dueAt).not.toBe(clock.originalDueAt);
    // and the apology was stored by the action that issued it
    expect(await inHistory(id, 'apology')).toBe(sha((await slip(id, 'apology')).body));
  });

  it('should give an online dossier an electronic receipt with no applicant signature, and never promise a paper result online (Circular 01/2018 form 01)', async () => {
    // given a dossier submitted online and accepted
    const id = await receive('online');
    const [stored] = await h.deps.db.select().from(dossierSlips).where(and(eq(dossierSlips.dossierId, id), eq(dossierSlips.kind, 'receipt')));
    const data = stored?.data as { electronic?: boolean; returnAt: string };
    // then the stored receipt is electronic, and says where a paper result is collected
    expect(data.electronic).toBe(true);
    expect(data.returnAt).toMatch(/^Kết quả điện tử: trên Cổng Dịch vụ công/u);
    expect(data.returnAt).toContain('Kết quả bản giấy (nếu có): nhận tại Bộ phận Một cửa');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: (await slip(id, 'receipt')).body }).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('Giấy tiếp nhận điện tử');
    expect(text).not.toContain('NGƯỜI NỘP HỒ SƠ');
    expect(text).not.toContain('Liên 2');
  });
});
