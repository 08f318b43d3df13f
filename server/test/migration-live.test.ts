/**
 * What a migration tells the world and how the slips of a moved dossier read
 * (docs/migration.md): the move is announced live to officers' screens over a real socket and
 * written to the outbox in its own transaction, as an action's change is; a slip issued before
 * the move downloads byte for byte as it was issued, a slip issued after it speaks the new
 * version, and form 05 names each hand-off in the words of the version it happened under.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import type { ProcedureDefinition } from '@motcua/engine';
import { createHarness, login, publishFixture, seedPeople, type Harness, ANPHU_STAFF } from './support/harness';
import { attachRealtime, type DossierChanged, type Realtime } from '../src/realtime';
import { dossierSlips, outbox } from '../src/db/schema';
import { loadDossier } from '../src/dossiers/repo';
import { slipDataFor } from '../src/slips/data';
import { trackingBook } from '../src/slips/book';

const ANPHU = '000.01.31.H99';
const PROVINCE = '000.00.00.H99';
const PROC = 'xac-nhan-tinh-trang-hon-nhan';
const WAIT_MS = 5_000;
const NEW_NAME = 'Cấp Giấy xác nhận tình trạng hôn nhân (quy trình tỉnh sửa đổi)';
const NEW_STEP = 'Thẩm định hồ sơ xác nhận tình trạng hôn nhân';

let h: Harness;
const auth: { [name: string]: string } = {};
let server: http.Server;
let realtime: Realtime;
let socket: ClientSocket;
const changes: DossierChanged[] = [];
let v1: ProcedureDefinition;

/** Resolves when `check` holds on what the socket has heard; rejects after WAIT_MS (no sleeps). */
function heard(check: () => boolean, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    socket.on('dossier:changed', () => {
      if (!check()) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

async function slipBytes(id: string, kind: string): Promise<Buffer> {
  const res = await h.http.get(`/api/dossiers/${encodeURIComponent(id)}/slips/${kind}`).set('Authorization', auth['lan']!)
    .buffer(true).parse((r, cb) => { const parts: Buffer[] = []; r.on('data', (c: Buffer) => parts.push(c)); r.on('end', () => cb(null, Buffer.concat(parts))); });
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  return res.body as Buffer;
}

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'thiet', name: 'Nguyễn Văn Thiết', grants: [{ role: 'designer', unit: PROVINCE }] }]);
  v1 = await publishFixture(h, PROC);
  for (const u of ['lan', 'hung', 'thiet']) auth[u] = await login(h, u);
  server = http.createServer(h.app.app);
  realtime = await attachRealtime(server, h.deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  socket = connect(`http://127.0.0.1:${port}`, {
    path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: auth['hung']!.replace(/^Bearer /, '') },
  });
  socket.on('dossier:changed', (m: DossierChanged) => changes.push(m));
  await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
});

afterAll(async () => {
  socket?.disconnect();
  await realtime?.close();
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  await h.close();
});

describe('a migration as the outside world and the slips see it', () => {
  let id: string;
  let receiptBefore: Buffer;

  it('should announce each moved dossier to the officers\' screens and write its outbox row with the move', async () => {
    // given a dossier received at An Phú (receipt issued) waiting for the specialist's verification
    const received = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
      procedureId: PROC, channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079196004040', name: 'Kiều Thị Mỹ', phone: '0912345678', address: '12 Lý Thường Kiệt' },
      data: { personName: 'Kiều Thị Mỹ', dateOfBirth: '1996-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(received.status, JSON.stringify(received.body)).toBe(201);
    id = received.body.id as string;
    receiptBefore = await slipBytes(id, 'receipt');
    await heard(() => changes.some((c) => c.dossierId === id), 'the intake');
    const versionBefore = (await loadDossier(h.deps.db, id))!.version;

    // and version 2, where "verify" becomes "appraise" under a new name and the procedure is renamed
    const v2 = structuredClone(v1);
    v2.version = 2;
    v2.catalog.name = { vi: NEW_NAME, en: 'Issue of a marital-status certificate (revised)' };
    v2.steps = JSON.parse(JSON.stringify(v2.steps).replaceAll('"verify"', '"appraise"')) as ProcedureDefinition['steps'];
    v2.steps.find((s) => s.id === 'appraise')!.name = { vi: NEW_STEP, en: 'Appraisal' };
    if (v2.layout) v2.layout = Object.fromEntries(Object.entries(v2.layout).map(([k, v]) => [k === 'verify' ? 'appraise' : k, v]));
    expect((await h.http.post(`/api/procedures/${PROC}/drafts`).set('Authorization', auth['thiet']!).send({})).status).toBe(201);
    const saved = await h.http.put(`/api/procedures/${PROC}/versions/2`).set('Authorization', auth['thiet']!).send({ definition: v2 });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 400)).toBe(200);
    const published = await h.http.post(`/api/procedures/${PROC}/versions/2/publish`).set('Authorization', auth['thiet']!).send({});
    expect(published.status, JSON.stringify(published.body).slice(0, 400)).toBe(200);

    // when the province moves the open dossiers
    const moved = await h.http.post(`/api/procedures/${PROC}/migrations`).set('Authorization', auth['thiet']!)
      .send({ from: 1, to: 2, steps: { verify: 'appraise' }, expect: { moves: 1 } });
    expect(moved.status, JSON.stringify(moved.body).slice(0, 400)).toBe(200);
    expect(moved.body.moved).toBe(1);

    // then the specialist's screen hears of the new version of the dossier
    await heard(() => changes.some((c) => c.dossierId === id && c.version === versionBefore + 1), 'the move');
    // and the outbox holds the move as a progress row, as an action writes one, for webhooks and the portal
    const rows = await h.deps.db.select().from(outbox).where(and(eq(outbox.dossierId, id), eq(outbox.eventId, `${id}#${versionBefore + 1}`)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.topic).toBe('dossier.progress');
    expect(rows[0]!.payload).toMatchObject({
      dossierId: id, event: 'dossier.migrated', seq: versionBefore + 1, procedureName: NEW_NAME, status: 4,
      title: 'Chuyển sang phiên bản 2 của thủ tục',
      portal: { state: 'in-progress', progress: { action: 'Chuyển sang phiên bản 2 của thủ tục' } },
    });
  });

  it('should download the slip issued before the move byte for byte, and issue later slips in the new version\'s words', async () => {
    // then the receipt issued under version 1 is the same bytes
    expect((await slipBytes(id, 'receipt')).equals(receiptBefore)).toBe(true);
    const receipt = await h.deps.db.select().from(dossierSlips).where(and(eq(dossierSlips.dossierId, id), eq(dossierSlips.kind, 'receipt')));
    expect((receipt[0]!.data as { procedure: { name: string } }).procedure.name).toBe(v1.catalog.name.vi);

    // when the specialist asks for papers on the renamed step (a slip issued under version 2)
    const row = (await loadDossier(h.deps.db, id))!;
    const asked = await h.http.post(`/api/dossiers/${encodeURIComponent(id)}/actions`).set('Authorization', auth['hung']!)
      .send({ step: 'appraise', action: 'requestSupplement', inputs: { reason: 'Thiếu bản sao giấy tờ tùy thân', documents: ['Bản sao CCCD'] }, expectedVersion: row.version });
    expect(asked.status, JSON.stringify(asked.body).slice(0, 400)).toBe(200);
    const supplement = await h.deps.db.select().from(dossierSlips).where(and(eq(dossierSlips.dossierId, id), eq(dossierSlips.kind, 'supplement-request')));
    expect(supplement).toHaveLength(1);
    expect(supplement[0]!.data).toMatchObject({ procedure: { name: NEW_NAME }, reason: 'Thiếu bản sao giấy tờ tùy thân', receivedAt: receipt[0]!.data && (receipt[0]!.data as { receivedAt: string }).receivedAt });
    const bytes = await slipBytes(id, 'supplement-request');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // and form 05 names each hand-off in the words of its own version: the acceptance sent the
    // dossier to version 1's verification, which Hùng took up under version 2's name
    const control = await slipDataFor(h.deps, (await loadDossier(h.deps.db, id))!, 'control');
    const verifyName = v1.steps.find((s) => s.id === 'verify')!.name.vi;
    expect(control.procedure.name).toBe(NEW_NAME);
    expect(control.handoffs).toHaveLength(2);
    expect(control.handoffs![0]!.to).toBe(`Lê Văn Hùng – ${verifyName}`);
    expect(control.handoffs![1]!.from).toBe(`Lê Văn Hùng – ${NEW_STEP}`);
    expect(JSON.stringify(control.handoffs)).not.toMatch(/– (verify|appraise)\b/);
    expect((await slipBytes(id, 'control')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('should keep the moved dossier\'s hand-over in the tracking book, reading each event in the version it was written under', async () => {
    // given the dossier was handed from the desk to version 1's "verify", a step version 2 no longer has
    const row = (await loadDossier(h.deps.db, id))!;
    expect(row.procedureVersion).toBe(2);
    // when the desk prints its book (form 06) for the day
    const book = await trackingBook(h.deps, ANPHU, '2026-03-02', '2026-03-02');
    // then the dossier's row shows it sent to the handling agency when the desk accepted it
    const entry = book.entries.find((e) => e.code === id);
    expect(entry).toBeDefined();
    expect(entry!.procedure).toBe(NEW_NAME);
    expect(entry!.sentAt).not.toBeNull();
    expect(Date.parse(entry!.sentAt!)).toBeGreaterThanOrEqual(Date.parse(entry!.receivedAt));
    // and the result is not yet back: the specialist asked the citizen for papers, no desk step was reached from verification
    expect(entry!.resultBackAt).toBeNull();
  });
});
