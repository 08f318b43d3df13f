import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DossierSnapshot } from '@motcua/engine';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { lookupKey, payAt, publishPayStepVariant, withPayments, type Paying } from './support/payments';
import { dossierEvents, dossiers, outbox, payments } from '../src/db/schema';

// Issue 12, "Cash at the desk": a citizen who pays the fee in cash at the one-stop desk has it
// recorded by a desk officer of the receiving unit; the payment is paid as an online success
// would be (receipt, outbox event, the payment step moved on), and the online request left
// open is void: its late success is a refund owed, never a second payment.
const ANPHU = '000.01.31.H99';
const BINHMINH = '000.02.31.H99';
const PROVINCE = '000.00.00.H99';
let h: Harness;
let pay: Paying;
let variant: string;
const auth: { [name: string]: string } = {};

const lateBirth = {
  childName: 'Phạm Gia Huy', dateOfBirth: '2025-12-01', sex: 'male', placeOfBirth: 'Bệnh viện Đa khoa tỉnh Demo', ethnicity: 'Kinh',
  nationality: 'Việt Nam', motherName: 'Lê Thị Thu', motherPersonalId: '079185002222', fatherName: 'Phạm Văn Khải',
  fatherPersonalId: '079183004444', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: false,
};

async function receive(procedureId = 'dang-ky-khai-sinh', data: object = lateBirth): Promise<{ id: string; key: string }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId, channel: 'direct', receivingUnit: ANPHU, accept: true, applicant: { name: 'Lê Thị Thu', phone: '0912345678' }, data,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  return { id, key: await lookupKey(h, id) };
}

const cash = (id: string, who: string, amount = 8000, key?: string) => {
  const req = h.http.post(`/api/dossiers/${id}/payments/cash`).set('Authorization', auth[who]!);
  return (key ? req.set('Idempotency-Key', key) : req).send({ amount });
};
const rowsOf = (id: string) => h.deps.db.select().from(payments).where(eq(payments.dossierId, id)).orderBy(payments.createdAt);
const paymentEvents = async (id: string) => (await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id)).orderBy(outbox.id))
  .filter((e) => e.topic === 'dossier.payment').map((e) => e.payload as { status: string; method: string; recordedBy?: { id: string } });

beforeAll(async () => {
  h = await createHarness({ now: new Date('2026-03-02T08:00:00+07:00').toISOString() });
  await seedPeople(h, [
    ...ANPHU_STAFF,
    { username: 'mai', name: 'Trần Thị Mai', grants: [{ role: 'desk', unit: BINHMINH }] },
    { username: 'nam', name: 'Đỗ Văn Nam', grants: [{ role: 'specialist', unit: BINHMINH }] },
    { username: 'admin', grants: [{ role: 'admin', unit: PROVINCE }] },
  ]);
  const def = await publishFixture(h, 'dang-ky-khai-sinh');
  variant = await publishPayStepVariant(h, def);
  for (const u of ['lan', 'hung', 'mai', 'nam', 'admin']) auth[u] = await login(h, u);
  pay = await withPayments(h);
});

afterAll(async () => {
  await pay?.close();
  await h?.close();
});

describe('recording fees paid in cash at the one-stop desk', () => {
  it('should make the open payment paid in cash, with its receipt and outbox event, and refund a late online success instead of paying twice', async () => {
    // given a dossier whose citizen opened the online payment page, paid there, but whose IPN is late
    const { id, key } = await receive();
    const online = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    expect(online.status, JSON.stringify(online.body)).toBe(201);
    const onlineId = (online.body as { payment: { id: string } }).payment.id;
    pay.sim.ipnMode = 'late';
    await payAt(pay.sim, (online.body as { payUrl: string }).payUrl);
    pay.sim.ipnMode = 'normal';
    const before = await h.http.get(`/api/dossiers/${id}/payments`).set('Authorization', auth['lan']!);
    expect(before.body).toMatchObject({ total: 8000, paid: false, mayRecordCash: true });

    // when the desk officer records the 8,000 đồng handed in at the counter
    const res = await cash(id, 'lan');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'paid', method: 'cash', amount: 8000, recordedBy: { id: 'u-lan', name: 'Nguyễn Thị Lan' }, settledAt: '2026-03-02T01:00:00.000Z',
      receiptUrl: `/api/public/payments/${(res.body as { id: string }).id}/receipt.pdf`,
    });
    const cashId = (res.body as { id: string }).id;

    // then the online request is void, the receipt is issued, the outbox tells of it, and the citizen owes nothing
    expect((await rowsOf(id)).map((r) => [r.id, r.status, r.method])).toEqual([[onlineId, 'cancelled', 'online'], [cashId, 'paid', 'cash']]);
    const pdf = await h.http.get(`/api/public/payments/${cashId}/receipt.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await paymentEvents(id)).toEqual([expect.objectContaining({ status: 'paid', method: 'cash', recordedBy: { id: 'u-lan', name: 'Nguyễn Thị Lan' } })]);
    const fees = await h.http.post(`/api/public/dossiers/${id}/fees`).send({ key });
    expect(fees.body).toMatchObject({ paid: true });
    const again = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_PAID');
    const after = await h.http.get(`/api/dossiers/${id}/payments`).set('Authorization', auth['lan']!);
    expect(after.body).toMatchObject({ paid: true, mayRecordCash: false });

    // and the late online success is answered 00 but recorded as a refund owed, the cash payment the only one paid
    const sent = await pay.sim.flushLate();
    expect(sent.map((s) => (s.answer as { RspCode: string }).RspCode)).toEqual(['00']);
    const rows = await rowsOf(id);
    expect(rows.filter((r) => r.status === 'paid').map((r) => r.id)).toEqual([cashId]);
    const dup = rows.find((r) => r.id === onlineId)!;
    expect(dup.status).toBe('refunded');
    expect(dup.refundReason).toMatch(/tiền mặt/);
    expect((await paymentEvents(id)).map((e) => `${e.status}/${e.method}`)).toEqual(['paid/cash', 'refunded/online']);

    // and a second record of cash is refused, saying who recorded the first
    const twice = await cash(id, 'lan');
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_PAID');
    expect(twice.body.error.message.vi).toContain('tiền mặt');
    expect(twice.body.error.message.vi).toContain('Nguyễn Thị Lan');
  });

  it('should move the engine\'s payment step on as an online success does, in the dossier\'s history', async () => {
    const { id } = await receive(variant);
    const [before] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect((before!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['pay']);
    const res = await cash(id, 'lan');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [row] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect((row!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['register']);
    const history = await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id)).orderBy(dossierEvents.seq);
    const last = history.at(-1)!;
    expect(last.actorId).toBe('system');
    expect(last.payload).toMatchObject({ step: 'pay', action: 'paid' });
    const verify = await h.http.get(`/api/dossiers/${id}/verify`).set('Authorization', auth['lan']!);
    expect(verify.body.ok).toBe(true);
  });

  it('should answer 409 with a bilingual message when the fee was paid online already, and change nothing', async () => {
    const { id, key } = await receive(variant);
    const online = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    await payAt(pay.sim, (online.body as { payUrl: string }).payUrl);
    const res = await cash(id, 'lan');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ALREADY_PAID');
    expect(res.body.error.message.vi).toContain('đã được thanh toán trực tuyến');
    expect(res.body.error.message.en).toContain('already paid online');
    expect((await rowsOf(id)).map((r) => [r.status, r.method])).toEqual([['paid', 'online']]);
    expect((await paymentEvents(id)).map((e) => e.status)).toEqual(['paid']);
  });

  it('should let only the receiving unit\'s desk record cash, own or delegated', async () => {
    const { id } = await receive();
    // the specialist of the same unit sees the dossier but is not its desk
    const specialist = await cash(id, 'hung');
    expect(specialist.status).toBe(403);
    expect(specialist.body.error.message.vi).toContain('Bộ phận Một cửa');
    expect((await h.http.get(`/api/dossiers/${id}/payments`).set('Authorization', auth['hung']!)).body.mayRecordCash).toBe(false);
    // another unit's desk does not even see it
    expect((await cash(id, 'mai')).status).toBe(403);
    expect(await rowsOf(id)).toEqual([]);
    // given An Phú's desk officer authorises Bình Minh's specialist for the desk of An Phú, today only
    const delegation = await h.http.post('/api/delegations').set('Authorization', auth['admin']!).send({
      kind: 'authorisation', from: 'u-lan', to: 'u-nam', scope: { roles: ['desk'], units: [ANPHU] },
      validFrom: '2026-03-01T00:00:00+07:00', validTo: '2026-03-03T00:00:00+07:00', decision: '22/QĐ-UBND',
    });
    expect(delegation.status, JSON.stringify(delegation.body)).toBe(201);
    // then the delegate may
    const delegated = await cash(id, 'nam');
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(201);
    expect(delegated.body).toMatchObject({ method: 'cash', recordedBy: { id: 'u-nam' } });
  });

  it('should record once per Idempotency-Key, and refuse an amount that is not the one due or a dossier owing nothing', async () => {
    const { id } = await receive();
    const wrong = await cash(id, 'lan', 5000);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe('AMOUNT_CHANGED');
    expect(wrong.body.error.issues[0].path).toBe('/amount');
    expect(wrong.body.error.message.vi).toContain('8.000');
    const first = await cash(id, 'lan', 8000, 'cash-1');
    expect(first.status).toBe(201);
    const retry = await cash(id, 'lan', 8000, 'cash-1');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect((await rowsOf(id)).map((r) => r.status)).toEqual(['paid']);

    const free = await receive('dang-ky-khai-sinh', { ...lateBirth, onTime: true });
    const none = await cash(free.id, 'lan');
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('NOTHING_DUE');
  });

  it('should count cash payments in the reconciliation, apart and within the paid', async () => {
    const day = '2026-03-02';
    const res = await h.http.get('/api/payments/reconciliation').query({ from: day, to: day }).set('Authorization', auth['admin']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const line = (res.body.lines as { unit: string; paid: { count: number; amount: number }; cash: { count: number; amount: number } }[]).find((l) => l.unit === ANPHU)!;
    // cash: the first test's, the payment step's, the delegate's, the keyed one; paid online: the 409 test's
    expect(line.cash).toEqual({ count: 4, amount: 32000 });
    expect(line.paid).toEqual({ count: 5, amount: 40000 });
    expect(res.body.total.cash).toEqual({ count: 4, amount: 32000 });
    const listed = (res.body.payments as { method: string; status: string }[]).filter((p) => p.method === 'cash');
    expect(listed).toHaveLength(4);
  });
});
