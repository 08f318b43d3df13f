import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DossierSnapshot } from '@motcua/engine';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { lookupKey, payAt, publishPayStepVariant, withPayments, type Paying } from './support/payments';
import { dossierEvents, dossiers, outbox, paymentNotices, payments } from '../src/db/schema';
import { refundRound } from '../src/payments/service';
import { sign } from '../src/payments/index';

// Issue 12, "Paying online": the fees the engine asked for are paid through the local VNPay
// simulator over real HTTP; the IPN is verified and applied once; forged, replayed,
// mismatched and unknown notices are answered with VNPay's RspCode and change nothing.
const ANPHU = '000.01.31.H99';
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

async function receive(data: object = lateBirth, procedureId = 'dang-ky-khai-sinh'): Promise<{ id: string; key: string }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId, channel: 'direct', receivingUnit: ANPHU, accept: true, applicant: { name: 'Lê Thị Thu', phone: '0912345678', email: 'thu@example.vn' }, data,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  return { id, key: await lookupKey(h, id) };
}

async function requestPay(id: string, key: string): Promise<{ paymentId: string; payUrl: string }> {
  const res = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { paymentId: (res.body as { payment: { id: string } }).payment.id, payUrl: (res.body as { payUrl: string }).payUrl };
}

const statusOf = async (pid: string): Promise<string> => (await h.http.get(`/api/public/payments/${pid}`)).body.status as string;
const ipn = (params: Record<string, string>) => h.http.get('/api/payments/vnpay/ipn').query(params);

beforeAll(async () => {
  h = await createHarness({ now: new Date('2026-03-02T08:00:00+07:00').toISOString() });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'admin', grants: [{ role: 'admin', unit: PROVINCE }] }, { username: 'xaadmin', grants: [{ role: 'admin', unit: '000.02.31.H99' }] }]);
  const def = await publishFixture(h, 'dang-ky-khai-sinh');
  variant = await publishPayStepVariant(h, def);
  for (const u of ['lan', 'hung', 'admin', 'xaadmin']) auth[u] = await login(h, u);
  pay = await withPayments(h);
});

afterAll(async () => {
  await pay?.close();
  await h?.close();
});

describe('paying a dossier\'s fees through VNPay\'s protocol', () => {
  it('should pay the fee the engine asked for, once, with a receipt and an outbox event', async () => {
    const { id, key } = await receive();
    const fees = await h.http.post(`/api/public/dossiers/${id}/fees`).send({ key });
    expect(fees.status).toBe(200);
    expect(fees.body).toMatchObject({ total: 8000, paid: false, fees: [{ id: 'lateRegistration', amount: 8000 }] });

    const { paymentId, payUrl } = await requestPay(id, key);
    const url = new URL(payUrl);
    expect(url.searchParams.get('vnp_Amount')).toBe('800000');
    expect(url.searchParams.get('vnp_TxnRef')).toBe(paymentId);
    expect(url.searchParams.get('vnp_OrderInfo')).not.toContain('Lê');

    const back = await payAt(pay.sim, payUrl);
    expect(pay.sim.ipns.at(-1)!.answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect(await statusOf(paymentId)).toBe('paid');

    const ret = await h.http.get('/api/public/payments/return').query(Object.fromEntries(back.searchParams));
    expect(ret.status).toBe(200);
    expect(ret.body).toMatchObject({ id: paymentId, status: 'paid', providerSays: 'success', receiptUrl: `/api/public/payments/${paymentId}/receipt.pdf` });

    const pdf = await h.http.get(`/api/public/payments/${paymentId}/receipt.pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const events = await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id));
    expect(events.filter((e) => e.topic === 'dossier.payment').map((e) => (e.payload as { status: string }).status)).toEqual(['paid']);

    const again = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_PAID');
  });

  it('should answer a replayed or duplicated IPN with 02 and change nothing', async () => {
    const { id, key } = await receive();
    pay.sim.ipnMode = 'duplicate';
    const { paymentId, payUrl } = await requestPay(id, key);
    await payAt(pay.sim, payUrl);
    pay.sim.ipnMode = 'normal';
    const [first, second] = pay.sim.ipns.slice(-2);
    expect(first!.answer).toMatchObject({ RspCode: '00' });
    expect(second!.answer).toMatchObject({ RspCode: '02' });
    const replay = await ipn(first!.params);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    const rows = await h.deps.db.select().from(payments).where(eq(payments.dossierId, id));
    expect(rows.map((r) => r.status)).toEqual(['paid']);
    const outs = await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id));
    expect(outs.filter((e) => e.topic === 'dossier.payment')).toHaveLength(1);
    const notices = await h.deps.db.select().from(paymentNotices).where(eq(paymentNotices.paymentId, paymentId));
    expect(notices.map((n) => n.rspCode)).toEqual(['00', '02', '02']);
  });

  it('should refuse forged, foreign, mismatched and unknown notices with their RspCode', async () => {
    const { id, key } = await receive();
    pay.sim.ipnMode = 'none';
    const { paymentId, payUrl } = await requestPay(id, key);
    await payAt(pay.sim, payUrl);
    pay.sim.ipnMode = 'normal';
    // The notice the gateway would have sent: signed by the gateway's own secret.
    const genuine: Record<string, string> = pay.sim.signed({
      vnp_TmnCode: 'TESTMC01', vnp_Amount: '800000', vnp_BankCode: 'NCB', vnp_CardType: 'ATM', vnp_PayDate: '20260302081500',
      vnp_OrderInfo: `Nop phi ho so ${id}`, vnp_TransactionNo: '99000001', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_TxnRef: paymentId,
    });
    const { vnp_SecureHash: _drop, ...unsigned } = genuine;
    /** The gateway's genuine signature over changed parameters. */
    const resigned = (change: Record<string, string>) => pay.sim.signed({ ...unsigned, ...change });
    // The amount raised after signing: the signature no longer holds.
    expect((await ipn({ ...genuine, vnp_Amount: '100' })).body).toMatchObject({ RspCode: '97' });
    // Signed with another secret (a forger's).
    expect((await ipn({ ...unsigned, vnp_SecureHash: sign(unsigned, 'not-the-secret-000000') })).body).toMatchObject({ RspCode: '97' });
    // No signature at all.
    expect((await ipn(unsigned)).body).toMatchObject({ RspCode: '97' });
    // Another merchant's terminal, correctly signed by the gateway.
    expect((await ipn(resigned({ vnp_TmnCode: 'OTHER001' }))).body).toMatchObject({ RspCode: '97' });
    // A genuine signature over a different amount: 04.
    expect((await ipn(resigned({ vnp_Amount: '100000' }))).body).toEqual({ RspCode: '04', Message: 'Invalid amount' });
    // A currency that is not the request's.
    expect((await ipn(resigned({ vnp_CurrCode: 'USD' }))).body).toMatchObject({ RspCode: '04' });
    // An unknown reference.
    expect((await ipn(resigned({ vnp_TxnRef: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }))).body).toEqual({ RspCode: '01', Message: 'Order not found' });
    expect(await statusOf(paymentId)).toBe('pending');
    // The genuine one is applied; the same again is a replay.
    expect((await ipn(genuine)).body).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect((await ipn(genuine)).body).toMatchObject({ RspCode: '02' });
    expect(await statusOf(paymentId)).toBe('paid');
  });

  it('should keep no trace of a forged notice in the payment\'s record nor in the database', async () => {
    // The IPN route is open to anyone (the gateway calls it unauthenticated): a forger who knows
    // a payment reference (the payer does: it is in the return address) sends notices by the
    // thousand, each as large as a request line allows.
    const { id, key } = await receive();
    pay.sim.ipnMode = 'none';
    const { paymentId } = await requestPay(id, key);
    pay.sim.ipnMode = 'normal';
    const count = async () => (await h.deps.db.select({ id: paymentNotices.id }).from(paymentNotices)).length;
    const before = await count();
    const padding = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`vnp_Pad${i}`, 'x'.repeat(300)]));
    for (let i = 0; i < 5; i++) {
      const forged = await ipn({
        vnp_TmnCode: 'TESTMC01', vnp_Amount: '800000', vnp_TxnRef: paymentId, vnp_ResponseCode: '00', vnp_TransactionStatus: '00',
        vnp_SecureHash: 'ab'.repeat(64), ...padding,
      });
      expect(forged.body).toEqual({ RspCode: '97', Message: 'Invalid signature' });
    }
    expect(await count()).toBe(before);
    const detail = await h.http.get(`/api/payments/${paymentId}`).set('Authorization', auth['admin']!);
    expect(detail.status).toBe(200);
    expect(detail.body.notices).toEqual([]);
    expect(await statusOf(paymentId)).toBe('pending');
  });

  it('should store nothing for a notice sent to a server that offers no online payment', async () => {
    // The default: no provider configured, the route open all the same; nothing can verify a notice.
    const saved = h.deps.config.payment;
    h.deps.config.payment = null;
    try {
      const count = async () => (await h.deps.db.select({ id: paymentNotices.id }).from(paymentNotices)).length;
      const before = await count();
      const padding = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`vnp_Pad${i}`, 'x'.repeat(300)]));
      const res = await ipn({ vnp_TxnRef: 'F'.repeat(32), vnp_SecureHash: 'ab'.repeat(64), ...padding });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ RspCode: '99', Message: 'Unknown error' });
      expect(await count()).toBe(before);
    } finally {
      h.deps.config.payment = saved;
    }
  });

  it('should show a late IPN\'s payment as pending on return, then paid when the notice arrives', async () => {
    const { id, key } = await receive();
    pay.sim.ipnMode = 'late';
    const { paymentId, payUrl } = await requestPay(id, key);
    const back = await payAt(pay.sim, payUrl);
    pay.sim.ipnMode = 'normal';
    const ret = await h.http.get('/api/public/payments/return').query(Object.fromEntries(back.searchParams));
    expect(ret.body).toMatchObject({ status: 'pending', providerSays: 'success' });
    const sent = await pay.sim.flushLate();
    expect(sent.map((s) => (s.answer as { RspCode: string }).RspCode)).toEqual(['00']);
    expect(await statusOf(paymentId)).toBe('paid');
  });

  it('should record a cancelled or declined payment as failed and let the citizen pay again', async () => {
    const { id, key } = await receive();
    const first = await requestPay(id, key);
    await payAt(pay.sim, first.payUrl, 'cancel');
    expect(await statusOf(first.paymentId)).toBe('failed');
    pay.sim.failPayments = true;
    const second = await requestPay(id, key);
    await payAt(pay.sim, second.payUrl);
    pay.sim.failPayments = false;
    expect(await statusOf(second.paymentId)).toBe('failed');
    const third = await requestPay(id, key);
    await payAt(pay.sim, third.payUrl);
    expect(await statusOf(third.paymentId)).toBe('paid');
  });

  it('should honour a success notified after a recorded failure, for the same reference or a new one, once', async () => {
    // given a dossier with a payment step whose first attempt the bank declined (IPN 51, recorded)
    const { id, key } = await receive(lateBirth, variant);
    pay.sim.failPayments = true;
    const first = await requestPay(id, key);
    await payAt(pay.sim, first.payUrl);
    pay.sim.failPayments = false;
    expect(pay.sim.ipns.at(-1)!.answer).toMatchObject({ RspCode: '00' });
    expect(await statusOf(first.paymentId)).toBe('failed');
    const failure = pay.sim.ipns.at(-1)!.params;
    // when the gateway later notifies a success for that same vnp_TxnRef (the money moved after all),
    // first with a genuine signature over another amount: refused, nothing changes
    const { vnp_SecureHash: _drop, ...unsigned } = failure;
    const success = { ...unsigned, vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_TransactionNo: '99000777' };
    expect((await ipn(pay.sim.signed({ ...success, vnp_Amount: '100000' }))).body).toEqual({ RspCode: '04', Message: 'Invalid amount' });
    expect(await statusOf(first.paymentId)).toBe('failed');
    const paid = pay.sim.signed(success);
    expect((await ipn(paid)).body).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    // then the payment is paid, announced, and the engine's payment step moved on in the dossier's history
    expect(await statusOf(first.paymentId)).toBe('paid');
    const outs = await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id)).orderBy(outbox.id);
    expect(outs.filter((e) => e.topic === 'dossier.payment').map((e) => (e.payload as { status: string }).status)).toEqual(['failed', 'paid']);
    const [row] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect((row!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['register']);
    const history = await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id));
    expect(history.filter((e) => (e.payload as { step?: string }).step === 'pay').map((e) => e.actorId)).toEqual(['system']);
    // and the same success again, or the old failure replayed, changes nothing
    expect((await ipn(paid)).body).toMatchObject({ RspCode: '02' });
    expect((await ipn(failure)).body).toMatchObject({ RspCode: '02' });
    expect(await statusOf(first.paymentId)).toBe('paid');
    const rows = await h.deps.db.select().from(payments).where(eq(payments.dossierId, id));
    expect(rows.map((r) => r.status)).toEqual(['paid']);
    const notices = await h.deps.db.select().from(paymentNotices).where(eq(paymentNotices.paymentId, first.paymentId));
    expect(notices.map((n) => n.rspCode)).toEqual(['00', '04', '00', '02', '02']);

    // given another dossier whose first attempt failed, paid through a new request (a new vnp_TxnRef)
    const other = await receive(lateBirth, variant);
    pay.sim.failPayments = true;
    const declined = await requestPay(other.id, other.key);
    await payAt(pay.sim, declined.payUrl);
    pay.sim.failPayments = false;
    const retry = await requestPay(other.id, other.key);
    expect(retry.paymentId).not.toBe(declined.paymentId);
    await payAt(pay.sim, retry.payUrl);
    expect(await statusOf(retry.paymentId)).toBe('paid');
    const [moved] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, other.id));
    expect((moved!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['register']);
    // and a late success of the declined attempt is a duplicate: a refund owed, never a second payment
    const late = pay.sim.ipns.find((i) => i.params['vnp_TxnRef'] === declined.paymentId)!.params;
    const { vnp_SecureHash: _h, ...lateUnsigned } = late;
    expect((await ipn(pay.sim.signed({ ...lateUnsigned, vnp_ResponseCode: '00', vnp_TransactionStatus: '00' }))).body).toMatchObject({ RspCode: '00' });
    const both = await h.deps.db.select().from(payments).where(eq(payments.dossierId, other.id));
    expect(both.filter((r) => r.status === 'paid').map((r) => r.id)).toEqual([retry.paymentId]);
    expect(both.find((r) => r.id === declined.paymentId)!.status).toBe('refunded');
  });

  it('should never count two payments of one dossier: a second success is a refund owed', async () => {
    const { id, key } = await receive();
    const a = await requestPay(id, key);
    const b = await requestPay(id, key); // cancels a, but a's page is still open in another tab
    expect(await statusOf(a.paymentId)).toBe('cancelled');
    await payAt(pay.sim, b.payUrl);
    await payAt(pay.sim, a.payUrl);
    const rows = await h.deps.db.select().from(payments).where(eq(payments.dossierId, id));
    expect(rows.filter((r) => r.status === 'paid').map((r) => r.id)).toEqual([b.paymentId]);
    const dup = rows.find((r) => r.id === a.paymentId)!;
    expect(dup.status).toBe('refunded');
    expect(dup.refundReason).toMatch(/trùng/);
  });

  it('should refuse an expired payment URL at the provider', async () => {
    const { id, key } = await receive();
    const { payUrl } = await requestPay(id, key);
    h.clock.advance(16 * 60_000);
    const page = await fetch(payUrl);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('quá thời gian');
  });

  it('should answer a wrong factor 404, none 422, and a dossier without fees 409', async () => {
    const { id } = await receive();
    expect((await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key: 'wrong' })).status).toBe(404);
    const none = await h.http.post(`/api/public/dossiers/${id}/payments`).send({});
    expect(none.status).toBe(422);
    expect(none.body.error.issues[0].path).toBe('/key');
    const free = await receive({ ...lateBirth, onTime: true });
    const res = await h.http.post(`/api/public/dossiers/${free.id}/payments`).send({ key: free.key });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOTHING_DUE');
    expect(res.body.error.message.vi).toContain('không có khoản phí');
  });

  it('should move the engine\'s payment step on when paid, in the dossier\'s history', async () => {
    const { id, key } = await receive(lateBirth, variant);
    const before = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect((before[0]!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['pay']);
    const { payUrl } = await requestPay(id, key);
    await payAt(pay.sim, payUrl);
    const [row] = await h.deps.db.select().from(dossiers).where(eq(dossiers.id, id));
    expect((row!.snapshot as DossierSnapshot).active.map((a) => a.step)).toEqual(['register']);
    const history = await h.deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id));
    const last = history.at(-1)!;
    expect(last.actorId).toBe('system');
    expect((last.payload as { step: string; action: string })).toMatchObject({ step: 'pay', action: 'paid' });
    const verify = await h.http.get(`/api/dossiers/${id}/verify`).set('Authorization', auth['lan']!);
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
  });

  it('should record a refund when a paid dossier is refused', async () => {
    const { id, key } = await receive(lateBirth, variant);
    const { paymentId, payUrl } = await requestPay(id, key);
    await payAt(pay.sim, payUrl);
    const res = await h.http.post(`/api/dossiers/${id}/actions`).set('Authorization', auth['hung']!)
      .send({ step: 'register', action: 'refuseLate', inputs: { reason: 'Không thuộc thẩm quyền' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await refundRound(h.deps, { settleMs: 0 });
    const p = await h.http.get(`/api/public/payments/${paymentId}`);
    expect(p.body).toMatchObject({ status: 'refunded', refundReason: 'Hồ sơ bị từ chối tiếp nhận' });
    const outs = await h.deps.db.select().from(outbox).where(eq(outbox.dossierId, id));
    expect(outs.filter((e) => e.topic === 'dossier.payment').map((e) => (e.payload as { status: string }).status)).toEqual(['paid', 'refunded']);
  });

  it('should reconcile per day and unit for administrators of the unit only', async () => {
    const day = '2026-03-02';
    const res = await h.http.get('/api/payments/reconciliation').query({ from: day, to: day }).set('Authorization', auth['admin']!);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const line = (res.body.lines as { unit: string; paid: { count: number; amount: number }; refunded: { count: number }; failed: { count: number } }[])
      .find((l) => l.unit === ANPHU)!;
    expect(line.paid.count).toBeGreaterThanOrEqual(6);
    expect(line.paid.amount).toBe(line.paid.count * 8000);
    // refunded: the refused dossier, the old tab's duplicate, the declined attempt's late success after a paid retry
    expect(line.refunded.count).toBe(3);
    expect(line.failed.count).toBe(2);
    expect(res.body.payments.length).toBeGreaterThan(0);
    const other = await h.http.get('/api/payments/reconciliation').query({ from: day, to: day }).set('Authorization', auth['xaadmin']!);
    expect(other.body.lines).toEqual([]);
    const forbidden = await h.http.get('/api/payments/reconciliation').query({ from: day, to: day, unit: ANPHU }).set('Authorization', auth['xaadmin']!);
    expect(forbidden.status).toBe(403);
    const desk = await h.http.get('/api/payments/reconciliation').query({ from: day, to: day }).set('Authorization', auth['lan']!);
    expect(desk.status).toBe(403);
    const bad = await h.http.get('/api/payments/reconciliation').query({ from: '2026-03-05', to: day }).set('Authorization', auth['admin']!);
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe('/from');
  });

  // Last: it adds a failed payment the reconciliation above does not count.
  it('should refuse at the provider a reference paid already, a URL without expiry, and a payment pressed after the URL expired', async () => {
    /** Opens the provider's page as a browser tab would; the order token of that tab. */
    const open = async (url: string): Promise<string> => {
      const res = await fetch(url);
      const html = await res.text();
      expect(res.status, html).toBe(200);
      return /name="t" value="([^"]+)"/.exec(html)![1]!;
    };
    const press = (token: string) =>
      fetch(new URL('/paymentv2/complete', pay.sim.payUrl), { method: 'POST', body: new URLSearchParams({ t: token, action: 'pay' }), redirect: 'manual' });

    // given a payment URL opened in two tabs, paid in the first
    const one = await receive();
    const { paymentId, payUrl } = await requestPay(one.id, one.key);
    const [first, second] = [await open(payUrl), await open(payUrl)];
    expect((await press(first)).status).toBe(302);
    expect(await statusOf(paymentId)).toBe('paid');
    const ipnsAfterPaying = pay.sim.ipns.length;
    // when the second tab presses pay too, or the URL is opened again: the reference is taken, nothing is charged
    const again = await press(second);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('đã được thanh toán');
    const reopened = await fetch(payUrl);
    expect(reopened.status).toBe(400);
    expect(await reopened.text()).toContain('đã được thanh toán');
    expect(pay.sim.ipns).toHaveLength(ipnsAfterPaying);
    const rows = await h.deps.db.select().from(payments).where(eq(payments.dossierId, one.id));
    expect(rows.map((r) => r.status)).toEqual(['paid']);

    // a URL without vnp_ExpireDate (required in 2.1.0), however well signed, is refused
    const two = await receive();
    const request = await requestPay(two.id, two.key);
    const { vnp_SecureHash: _hash, vnp_ExpireDate: _expiry, ...rest } = Object.fromEntries(new URL(request.payUrl).searchParams);
    const noExpiry = new URL(pay.sim.payUrl);
    noExpiry.search = new URLSearchParams(pay.sim.signed(rest)).toString();
    const refused = await fetch(noExpiry);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('vnp_ExpireDate');

    // given a page shown in time, when pay is pressed after the URL expired: the transaction fails as timed out (11)
    const tab = await open(request.payUrl);
    h.clock.advance(16 * 60_000);
    const late = await press(tab);
    expect(late.status).toBe(302);
    expect(new URL(late.headers.get('location')!).searchParams.get('vnp_ResponseCode')).toBe('11');
    expect(pay.sim.ipns.at(-1)!.params).toMatchObject({ vnp_TxnRef: request.paymentId, vnp_ResponseCode: '11' });
    expect(pay.sim.ipns.at(-1)!.answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect(await statusOf(request.paymentId)).toBe('failed');
  });

  // After the reconciliation too: it adds failed and paid payments that test does not count.
  it('should tell on return whether the citizen cancelled, the bank refused (with its reason) or the time ran out, from the signed return only', async () => {
    const back = (url: URL) => h.http.get('/api/public/payments/return').query(Object.fromEntries(url.searchParams));
    // given a payment the citizen cancels at the gateway
    const { id, key } = await receive();
    const first = await requestPay(id, key);
    const cancelledAt = await payAt(pay.sim, first.payUrl, 'cancel');
    const cancelled = await back(cancelledAt);
    // then the return says cancelled by the citizen (VNPay's 24), not a refusal
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: first.paymentId, status: 'failed', providerSays: 'failure', failure: { kind: 'cancelled', code: '24' } });
    expect(cancelled.body.failure.reason.vi).toMatch(/hủy/);

    // given a payment the bank declines for want of money (51)
    pay.sim.failPayments = true;
    const second = await requestPay(id, key);
    const refusedAt = await payAt(pay.sim, second.payUrl);
    pay.sim.failPayments = false;
    const refused = await back(refusedAt);
    // then the return says refused, with the bank's reason in words, Vietnamese and English
    expect(refused.body).toMatchObject({ id: second.paymentId, status: 'failed', failure: { kind: 'refused', code: '51', reason: { vi: expect.stringMatching(/số dư/), en: expect.stringMatching(/enough money/) } } });

    // and a return whose outcome was changed in the address bar is refused, not believed
    const forged = new URL(cancelledAt);
    forged.searchParams.set('vnp_ResponseCode', '51');
    expect((await back(forged)).status).toBe(400);

    // given a payment page pressed after the time to pay ran out (11)
    const third = await requestPay(id, key);
    const page = await (await fetch(third.payUrl)).text();
    const token = /name="t" value="([^"]+)"/.exec(page)![1]!;
    h.clock.advance(16 * 60_000);
    const pressed = await fetch(new URL('/paymentv2/complete', pay.sim.payUrl), { method: 'POST', body: new URLSearchParams({ t: token, action: 'pay' }), redirect: 'manual' });
    expect(pressed.status).toBe(302);
    const expired = await back(new URL(pressed.headers.get('location')!));
    // then the return says the time ran out
    expect(expired.body).toMatchObject({ id: third.paymentId, failure: { kind: 'expired', code: '11' } });

    // and a paid return has no failure
    const fourth = await requestPay(id, key);
    const paid = await back(await payAt(pay.sim, fourth.payUrl));
    expect(paid.body).toMatchObject({ status: 'paid', providerSays: 'success', failure: null });
  });
});
