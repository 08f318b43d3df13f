import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { payAt, withPayments } from './support/payments';
import { ANPHU, BIRTH_DATA, as, citizen, onlineWorld, readyDraft, smallPdf, type OnlineWorld } from './support/online';

let w: OnlineWorld;
beforeAll(async () => { w = await onlineWorld(); });
afterAll(async () => { await w?.close(); });

describe('submitting online and the desk\'s acceptance', () => {
  it('shows what submitting online takes: form, papers, fees, desks', async () => {
    const res = await w.h.http.get('/api/public/procedures/dang-ky-khai-sinh/online');
    expect(res.status).toBe(200);
    expect(res.body.onlineLevel).toBe('full');
    expect(res.body.data.properties.childName).toBeTruthy();
    expect(res.body.papers.map((p: { id: string }) => p.id)).toContain('birthCertificate');
    expect(res.body.desks.map((d: { code: string }) => d.code)).toContain(ANPHU);
    const none = await w.h.http.get('/api/public/procedures/chung-thuc-chu-ky/online');
    expect(none.status).toBe(422);
    expect(none.body.error.code).toBe('NOT_ONLINE');
    expect(none.body.error.issues[0].path).toBe('/procedureId');
  });

  it('a citizen submits a birth registration with papers; the desk sees it waiting, accepts it in one click; the citizen gets slip 01 as PDF', async () => {
    const s = await citizen(w);
    const c = as(w.h, s);
    const id = await readyDraft(w, s);
    const draft = await c.get(`/api/me/drafts/${id}`);
    expect(draft.body.files).toHaveLength(3);
    const sub = await c.post(`/api/me/drafts/${id}/submit`).set('Idempotency-Key', 'k-happy-1').send({});
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ portalStatus: 1, channel: 'online', status: 'active', receivedAt: null, dueAt: null });
    expect(sub.body.statusText.vi).toMatch(/chờ Bộ phận Một cửa tiếp nhận/);
    expect(sub.body.documents).toHaveLength(3);
    expect(sub.body.timeline[0].text.vi).toBe('Bạn đã nộp hồ sơ trực tuyến');
    const code = sub.body.id as string;
    // The answer is built from what the submission wrote, not read back: a read shows the same dossier.
    const sorted = (v: { documents: { id: string }[] }) => ({ ...v, documents: [...v.documents].sort((a, b) => a.id.localeCompare(b.id)) });
    expect(sorted((await c.get(`/api/me/dossiers/${code}`)).body)).toEqual(sorted(sub.body));
    // The draft is gone with the submission.
    expect((await c.get(`/api/me/drafts/${id}`)).status).toBe(404);
    // The desk's inbox lists it, at the intake step, on the online channel.
    const inbox = await w.h.http.get('/api/dossiers?box=unit').set('Authorization', w.desk);
    const item = inbox.body.items.find((i: { id: string }) => i.id === code);
    expect(item).toBeTruthy();
    // The officer sees the papers the citizen uploaded.
    const docs = await w.h.http.get(`/api/dossiers/${code}/documents`).set('Authorization', w.desk);
    expect(docs.body).toHaveLength(3);
    const pdf = await w.h.http.get(docs.body[0].url).set('Authorization', w.desk);
    expect(pdf.status).toBe(200);
    // One click: accept.
    const accepted = await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'accept' });
    expect(accepted.status).toBe(200);
    const mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body.portalStatus).toBe(2);
    expect(mine.body.receivedAt).not.toBeNull();
    expect(mine.body.dueAt).not.toBeNull();
    expect(mine.body.timeline.map((t: { text: { vi: string } }) => t.text.vi)).toContain('Bộ phận Một cửa đã tiếp nhận hồ sơ; thời hạn giải quyết bắt đầu');
    expect(mine.body.slips.map((x: { kind: string }) => x.kind)).toEqual(['receipt']);
    const slip = await c.get(mine.body.slips[0].url).buffer(true);
    expect(slip.status).toBe(200);
    expect(slip.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(slip.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const list = await c.get('/api/me/dossiers');
    expect(list.body.map((d: { id: string }) => d.id)).toContain(code);
  });

  it('supplement: the desk asks for papers (slip 02, clock paused), the citizen uploads and hands them in, the clock resumes', async () => {
    const s = await citizen(w, '001199000002');
    const c = as(w.h, s);
    const sub = await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, motherName: 'Nguyễn Thị Lụa', motherPersonalId: '001199000002' })}/submit`).send({});
    const code = sub.body.id as string;
    await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'accept' });
    const hung = await (await import('./support/harness')).login(w.h, 'hung');
    const ask = await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', hung)
      .send({ step: 'register', action: 'requestSupplement', inputs: { reason: 'Giấy chứng sinh bị mờ', documents: ['birthCertificate'] } });
    expect(ask.status).toBe(200);
    let mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body.portalStatus).toBe(3);
    expect(mine.body.papersAsked[0].reason).toBe('Giấy chứng sinh bị mờ');
    expect(mine.body.slips.map((x: { kind: string }) => x.kind)).toContain('supplement-request');
    const open = mine.body.actions.map((a: { action: string }) => a.action);
    expect(open).toContain('submitSupplement');
    expect(open).toContain('withdraw');
    const up = await c.post(`/api/me/dossiers/${code}/documents`).attach('file', await smallPdf('ro hon'), { filename: 'giay-chung-sinh.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    w.h.clock.advance(3600_000);
    const handed = await c.post(`/api/me/dossiers/${code}/actions`).send({ step: 'supplementWait', action: 'submitSupplement' });
    expect(handed.status).toBe(200);
    mine = await c.get(`/api/me/dossiers/${code}`);
    expect(mine.body.portalStatus).toBe(2);
    expect(mine.body.documents).toHaveLength(4);
    expect(new Date(mine.body.dueAt).getTime()).toBeGreaterThan(new Date(sub.body.submittedAt).getTime());
  });

  it('pay: "Hồ sơ của tôi" links to the payment page while fees are due, and no more once paid', async () => {
    const s = await citizen(w, '001199000004');
    const c = as(w.h, s);
    const late = { ...BIRTH_DATA, onTime: false, childName: 'Phạm Minh Khôi', motherName: 'Đỗ Thị Hạnh', motherPersonalId: '001199000004' };
    const code = (await c.post(`/api/me/drafts/${await readyDraft(w, s, late)}/submit`).send({})).body.id as string;
    // Online payment not configured: no button.
    const before = w.h.deps.config.payment;
    await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'accept' });
    expect((await c.get(`/api/me/dossiers/${code}`)).body.payment).toBeNull();
    const pay = await withPayments(w.h);
    try {
      const mine = await c.get(`/api/me/dossiers/${code}`);
      expect(mine.body.payment).toMatchObject({ amount: 8000 });
      const href = new URL(mine.body.payment.href as string, 'http://web');
      expect(href.pathname).toBe(`/thanh-toan/${code}`);
      // The key in the link is what the payment page sends: it opens the dossier's fees and a payment.
      const key = href.searchParams.get('k')!;
      const fees = await w.h.http.post(`/api/public/dossiers/${code}/fees`).send({ key });
      expect(fees.body).toMatchObject({ total: 8000, paid: false });
      const started = await w.h.http.post(`/api/public/dossiers/${code}/payments`).send({ key });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      await payAt(pay.sim, started.body.payUrl as string);
      expect((await c.get(`/api/me/dossiers/${code}`)).body.payment).toBeNull();
    } finally {
      await pay.close();
      w.h.deps.config.payment = before;
    }
  });

  it('withdraw with a reason (422 without one); refuse by the desk gives slip 03', async () => {
    const s = await citizen(w, '001199000003');
    const c = as(w.h, s);
    const a = (await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, motherName: 'Lê Thị Hoa', motherPersonalId: '001199000003' })}/submit`).send({})).body.id as string;
    const noReason = await c.post(`/api/me/dossiers/${a}/actions`).send({ step: '*', action: 'withdraw', inputs: {} });
    expect(noReason.status, JSON.stringify(noReason.body)).toBe(422);
    expect(JSON.stringify(noReason.body), JSON.stringify(noReason.body)).toMatch(/"issues".*reason/);
    const wd = await c.post(`/api/me/dossiers/${a}/actions`).send({ step: '*', action: 'withdraw', inputs: { reason: 'Nộp nhầm' } });
    expect(wd.status).toBe(200);
    expect(wd.body.portalStatus).toBe(5);
    expect(wd.body.statusText.vi).toBe('Đã rút hồ sơ');
    const b = (await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, childName: 'Lê Minh', motherName: 'Lê Thị Hoa', motherPersonalId: '001199000003' })}/submit`).send({})).body.id as string;
    const refused = await w.h.http.post(`/api/dossiers/${b}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'refuse', inputs: { reason: 'Không thuộc thẩm quyền' } });
    expect(refused.status).toBe(200);
    const mine = await c.get(`/api/me/dossiers/${b}`);
    expect(mine.body.slips.map((x: { kind: string }) => x.kind)).toContain('refusal');
    expect((await c.get(`/api/me/dossiers/${b}/slips/refusal`)).status).toBe(200);
  });

  it('the signed-in owner chooses the notification channels of their dossier (no factor); another citizen cannot, nor a request without the anti-forgery header', async () => {
    const s = await citizen(w, '001199000003');
    const c = as(w.h, s);
    const code = (await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, childName: 'Lê Thông Báo', motherName: 'Lê Thị Hoa', motherPersonalId: '001199000003' })}/submit`).send({})).body.id as string;
    const { preferencesOf } = await import('../src/notifications/repo');
    const other = as(w.h, await citizen(w, '001199000002'));
    expect((await other.put(`/api/me/dossiers/${code}/notifications`).send({ channels: [] })).status).toBe(404);
    const forged = await w.h.http.put(`/api/me/dossiers/${code}/notifications`).set('Cookie', s.cookie).send({ channels: [] });
    expect(forged.status).toBe(403);
    expect(await preferencesOf(w.h.deps.db, code)).toBeNull();
    const ok = await c.put(`/api/me/dossiers/${code}/notifications`).send({ channels: ['sms'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.channels).toEqual(['sms']);
    expect(await preferencesOf(w.h.deps.db, code)).toEqual(['sms']);
  });

  it('the owner\'s channel form reads the channels saved, not a default: an empty choice stays empty', async () => {
    // given a citizen's dossier with no choice saved: the default the notifier would use, said to be one
    const s = await citizen(w, '001199000003');
    const c = as(w.h, s);
    const code = (await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, childName: 'Lê Kênh Báo', motherName: 'Lê Thị Hoa', motherPersonalId: '001199000003' })}/submit`).send({})).body.id as string;
    const before = await c.get(`/api/me/dossiers/${code}/notifications`);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    // (the identity gives an email address: the notifier's default is email)
    expect(before.body).toEqual({ channels: ['email'], saved: false, reachable: ['email'] });
    // when the citizen chooses SMS and Zalo, then none at all
    await c.put(`/api/me/dossiers/${code}/notifications`).send({ channels: ['zalo', 'sms'] });
    expect((await c.get(`/api/me/dossiers/${code}/notifications`)).body).toMatchObject({ channels: ['zalo', 'sms'], saved: true });
    await c.put(`/api/me/dossiers/${code}/notifications`).send({ channels: [] });
    // then the form reads what was saved: nothing ticked, not email
    expect((await c.get(`/api/me/dossiers/${code}/notifications`)).body).toEqual({ channels: [], saved: true, reachable: [] });
    // and another citizen learns nothing of it
    const other = as(w.h, await citizen(w, '001199000002'));
    expect((await other.get(`/api/me/dossiers/${code}/notifications`)).status).toBe(404);
  });

  it('a payment started before a withdrawal and paid at the bank after it is recorded as a refund owed, with the outbox event that tells the citizen', async () => {
    const s = await citizen(w, '001199000001');
    const c = as(w.h, s);
    const late = { ...BIRTH_DATA, onTime: false, childName: 'Trần Gia Bảo', motherName: 'Trần Thị Mai', motherPersonalId: '001199000001' };
    const code = (await c.post(`/api/me/drafts/${await readyDraft(w, s, late)}/submit`).send({})).body.id as string;
    const before = w.h.deps.config.payment;
    await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', w.desk).send({ step: 'intake', action: 'accept' });
    const pay = await withPayments(w.h);
    try {
      const key = new URL((await c.get(`/api/me/dossiers/${code}`)).body.payment.href as string, 'http://web').searchParams.get('k')!;
      const started = await w.h.http.post(`/api/public/dossiers/${code}/payments`).send({ key });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const paymentId = started.body.payment.id as string;
      // The citizen pays at the bank, whose notice is held back; meanwhile they withdraw the dossier.
      pay.sim.ipnMode = 'late';
      await payAt(pay.sim, started.body.payUrl as string);
      pay.sim.ipnMode = 'normal';
      const wd = await c.post(`/api/me/dossiers/${code}/actions`).send({ step: '*', action: 'withdraw', inputs: { reason: 'Nộp nhầm' } });
      expect(wd.status, JSON.stringify(wd.body)).toBe(200);
      const sent = await pay.sim.flushLate();
      expect(sent.map((x) => (x.answer as { RspCode: string }).RspCode)).toEqual(['00']);
      const p = await w.h.http.get(`/api/public/payments/${paymentId}`);
      expect(p.body).toMatchObject({ status: 'refunded', refundReason: 'Hồ sơ đã được rút trước khi khoản thanh toán hoàn tất, khoản này được hoàn trả' });
      const { outbox } = await import('../src/db/schema');
      const { eq } = await import('drizzle-orm');
      const outs = await w.h.deps.db.select().from(outbox).where(eq(outbox.dossierId, code));
      expect(outs.filter((e) => e.topic === 'dossier.payment').map((e) => (e.payload as { status: string }).status)).toEqual(['paid', 'refunded']);
    } finally {
      await pay.close();
      w.h.deps.config.payment = before;
    }
  });

  it('the desk\'s inbox hears of an online submission live (websocket)', async () => {
    const server = (await import('../src/app')).httpServer(w.h.app.app);
    const { attachRealtime } = await import('../src/realtime/index');
    const rt = await attachRealtime(server, w.h.deps);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    const port = (server.address() as { port: number }).port;
    const desk = await (await import('./support/harness')).login(w.h, 'lan');
    const socket: Socket = io(`http://127.0.0.1:${port}`, { auth: { token: desk.slice(7) }, transports: ['websocket'] });
    try {
      await new Promise<void>((ok, fail) => { socket.on('connect', () => ok()); socket.on('connect_error', fail); });
      const heard = new Promise<{ dossierId: string }>((ok) => socket.on('dossier:changed', (m: { dossierId: string }) => ok(m)));
      const s = await citizen(w, '001199000004');
      const sub = await as(w.h, s).post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, motherName: 'Phạm Thị Vân', motherPersonalId: '001199000004' })}/submit`).send({});
      expect(sub.status).toBe(201);
      expect((await heard).dossierId).toBe(sub.body.id);
    } finally {
      socket.close();
      await rt.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
  it('a supplement never handed in: handling stops, and the citizen\'s timeline says so (with the stop notice), not "being handled"', async () => {
    const s = await citizen(w, '001199000001');
    const c = as(w.h, s);
    const code = (await c.post(`/api/me/drafts/${await readyDraft(w, s, { ...BIRTH_DATA, childName: 'Trần Gia Phúc' })}/submit`).send({})).body.id as string;
    const { login } = await import('./support/harness');
    expect((await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', await login(w.h, 'lan')).send({ step: 'intake', action: 'accept' })).status).toBe(200);
    const ask = await w.h.http.post(`/api/dossiers/${code}/actions`).set('Authorization', await login(w.h, 'hung'))
      .send({ step: 'register', action: 'requestSupplement', inputs: { reason: 'Thiếu giấy chứng sinh', documents: ['birthCertificate'] } });
    expect(ask.status).toBe(200);
    // Thirty working days and more: the procedure's timeout stops the dossier.
    w.h.clock.advance(60 * 86_400_000);
    const { sweep } = await import('../src/sweeper/sweeper');
    await sweep(w.h.deps);
    const mine = await as(w.h, await citizen(w, '001199000001')).get(`/api/me/dossiers/${code}`);
    expect(mine.status).toBe(200);
    expect(mine.body.outcome).toBe('stopped');
    expect(mine.body.statusText.vi).toBe('Đã dừng giải quyết');
    const last = mine.body.timeline.at(-1).text;
    expect(last.vi).toBe('Hồ sơ bị dừng giải quyết (thông báo dừng giải quyết)');
    expect(last.en).toBe('Handling of the dossier stopped (stop notice)');
    expect(mine.body.timeline.map((e: { text: { vi: string } }) => e.text.vi).join('\n')).not.toMatch(/Đang xử lý/);
    expect(mine.body.slips.map((x: { kind: string }) => x.kind)).toContain('stop-notice');
  });
});
