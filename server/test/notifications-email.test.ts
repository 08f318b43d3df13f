import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { eq } from 'drizzle-orm';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from './support/harness';
import { lookupKey, payAt, withPayments, type Paying } from './support/payments';
import { notificationDeliveries } from '../src/db/schema';
import { deliverNotifications, notifyRound } from '../src/notifications/service';
import { DEFAULT_TEMPLATES, EVENTS, render } from '../src/notifications/templates';

// Issue 12, "Being told": citizen notifications follow the outbox, rendered from templates an
// administrator edits, sent by email to a real local SMTP server (read back with mailparser)
// and by SMS through the HTTP adapter to a local gateway; nothing personal beyond the code,
// the status and the appointment.
const ANPHU = '000.01.31.H99';
const PROVINCE = '000.00.00.H99';
let h: Harness;
let pay: Paying;
let smtp: SMTPServer;
let smtpPort = 0;
let sms: Server;
const mails: ParsedMail[] = [];
const texts: { to: string; text: string; auth: string | undefined }[] = [];
const auth: { [name: string]: string } = {};

const applicant = { name: 'Lê Thị Thu', id: '079185002222', phone: '0912345678', email: 'thu@example.vn', address: 'Số 5, thôn Nam, xã An Phú' };
const lateBirth = {
  childName: 'Phạm Gia Huy', dateOfBirth: '2025-12-01', sex: 'male', placeOfBirth: 'Bệnh viện Đa khoa tỉnh Demo', ethnicity: 'Kinh',
  nationality: 'Việt Nam', motherName: 'Lê Thị Thu', motherPersonalId: '079185002222', fatherName: 'Phạm Văn Khải',
  fatherPersonalId: '079183004444', declarantRelation: 'mother', birthProof: 'birth-certificate', onTime: false,
};
/** What no message may carry: names, ID numbers, phone, address, the procedure (it names a life event). */
const PERSONAL = ['Lê Thị Thu', 'Phạm Gia Huy', 'Phạm Văn Khải', '079185002222', '079183004444', '0912345678', 'thu@example.vn', 'thôn Nam', 'khai sinh', 'Khai sinh'];

async function round(): Promise<void> {
  await notifyRound(h.deps, { settleMs: 0 });
  await deliverNotifications(h.deps);
}

async function receive(): Promise<{ id: string; key: string }> {
  const res = await h.http.post('/api/dossiers').set('Authorization', auth['lan']!).send({
    procedureId: 'dang-ky-khai-sinh', channel: 'direct', receivingUnit: ANPHU, accept: true, applicant, data: lateBirth,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = (res.body as { id: string }).id;
  return { id, key: await lookupKey(h, id) };
}

const mailsFor = (id: string) => mails.filter((m) => m.subject?.includes(id) || (m.text ?? '').includes(id));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => { mails.push(m); cb(); }, cb);
    },
  });
  await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  sms = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      texts.push({ ...body, auth: req.headers.authorization });
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((ok) => sms.listen(0, '127.0.0.1', ok));
  h = await createHarness({
    now: new Date('2026-03-02T08:00:00+07:00').toISOString(),
    config: {
      mail: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'Một cửa điện tử <no-reply@motcua.test>' },
      sms: { url: `http://127.0.0.1:${(sms.address() as AddressInfo).port}/sms`, token: 'sms-token' },
    },
  });
  await seedPeople(h, [...ANPHU_STAFF, { username: 'admin', grants: [{ role: 'admin', unit: PROVINCE }] }]);
  await publishFixture(h, 'dang-ky-khai-sinh');
  for (const u of ['lan', 'admin']) auth[u] = await login(h, u);
  pay = await withPayments(h);
});

afterAll(async () => {
  await pay?.close();
  await h?.close();
  await new Promise<void>((ok) => smtp.close(() => ok()));
  sms.closeAllConnections();
  await new Promise<void>((ok) => sms.close(() => ok()));
});

describe('citizen notifications', () => {
  it('should email the receipt and the payment request, read back from a real SMTP server, with nothing personal', async () => {
    const { id } = await receive();
    await round();
    const got = mailsFor(id);
    expect(got.map((m) => m.subject).sort()).toEqual([`Hồ sơ ${id}: mời nộp phí, lệ phí`, `Hồ sơ ${id} đã được tiếp nhận`].sort());
    const received = got.find((m) => m.subject?.includes('tiếp nhận'))!;
    expect(received.to && 'text' in received.to ? received.to.text : '').toBe('thu@example.vn');
    expect(received.from?.text).toContain('no-reply@motcua.test');
    expect(received.text).toMatch(/Ngày hẹn trả kết quả: \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(received.text).toContain(`/tra-cuu/${id}`);
    const payment = got.find((m) => m.subject?.includes('phí'))!;
    expect(payment.text).toContain('8.000 đồng');
    for (const m of got) for (const p of PERSONAL) expect(`${m.subject} ${m.text}`).not.toContain(p);
    const log = await h.http.get('/api/notifications/deliveries').query({ dossier: id }).set('Authorization', auth['admin']!);
    expect(log.status).toBe(200);
    expect(log.body.items.map((d: { event: string; status: string; channel: string }) => `${d.event}:${d.channel}:${d.status}`).sort())
      .toEqual(['payment:email:sent', 'received:email:sent']);
  });

  it('should never put more than the code, status and appointment in any default message', () => {
    for (const event of EVENTS) {
      const t = render(DEFAULT_TEMPLATES[event], { ma_ho_so: 'X', trang_thai: 'S', ngay_hen: 'D', so_tien: '1 đồng', lien_ket: 'L', bien_lai: 'B' });
      expect(`${t.subject} ${t.body}`).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('should email the electronic receipt once the fee is paid through the simulator', async () => {
    const { id, key } = await receive();
    const start = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    expect(start.status).toBe(201);
    await payAt(pay.sim, start.body.payUrl as string);
    await round();
    const paid = mailsFor(id).find((m) => m.subject === `Biên lai điện tử hồ sơ ${id}`)!;
    expect(paid).toBeDefined();
    expect(paid.text).toContain('Đã nhận 8.000 đồng');
    const link = /https?:\/\/\S+\/receipt\.pdf/.exec(paid.text ?? '')?.[0];
    expect(link).toBeDefined();
    const pdf = await h.http.get(new URL(link!).pathname);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('should let an administrator edit a template, refusing unknown placeholders with a pointer', async () => {
    const bad = await h.http.put('/api/notifications/templates/received').set('Authorization', auth['admin']!)
      .send({ subject: 'Hồ sơ {{ma_ho_so}}', body: 'Kính gửi {{ho_ten}}, hồ sơ {{ma_ho_so}} đã được tiếp nhận' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0]).toMatchObject({ path: '/body' });
    expect(bad.body.error.issues[0].message.vi).toContain('{{ho_ten}}');
    const stray = await h.http.put('/api/notifications/templates/received').set('Authorization', auth['admin']!).send({ subject: 'Hồ sơ {{ma_ho_so}', body: 'x' });
    expect(stray.status).toBe(422);
    expect(stray.body.error.issues[0].path).toBe('/subject');
    const desk = await h.http.put('/api/notifications/templates/received').set('Authorization', auth['lan']!).send({ subject: 'a', body: 'b' });
    expect(desk.status).toBe(403);
    const ok = await h.http.put('/api/notifications/templates/received').set('Authorization', auth['admin']!)
      .send({ subject: '[Một cửa] Đã nhận hồ sơ {{ma_ho_so}}', body: 'Hồ sơ {{ma_ho_so}} ({{trang_thai}}), hẹn trả {{ngay_hen}}.' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ custom: true, updatedBy: 'u-admin' });
    const { id } = await receive();
    await round();
    const m = mailsFor(id).find((x) => x.subject === `[Một cửa] Đã nhận hồ sơ ${id}`);
    expect(m?.text).toContain('(Đang giải quyết)');
    const reset = await h.http.delete('/api/notifications/templates/received').set('Authorization', auth['admin']!);
    expect(reset.body).toMatchObject({ custom: false, subject: DEFAULT_TEMPLATES.received.subject });
  });

  it('should send by SMS through the HTTP adapter when the citizen chooses it', async () => {
    const { id, key } = await receive();
    // The intake's events are told by email (the default) in this round.
    await round();
    const choose = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ key, channels: ['sms'] });
    expect(choose.status).toBe(200);
    expect(choose.body).toEqual({ channels: ['sms'], reachable: ['sms'] });
    const wrong = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ key, channels: ['fax'] });
    expect(wrong.status).toBe(422);
    const before = mails.length;
    // The fee paid: the next event goes by SMS only.
    const start = await h.http.post(`/api/public/dossiers/${id}/payments`).send({ key });
    await payAt(pay.sim, start.body.payUrl as string);
    await round();
    expect(mails.length).toBe(before);
    const sent = texts.filter((t) => t.text.includes(id));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: '0912345678', auth: 'Bearer sms-token' });
    for (const p of PERSONAL.filter((x) => x !== '0912345678')) expect(sent[0]!.text).not.toContain(p);
  });

  it('should refuse to change the channels with the last 4 digits alone (403 KEY_REQUIRED, /key), changing nothing; the receipt\'s key changes them', async () => {
    const { id, key } = await receive();
    const { preferencesOf } = await import('../src/notifications/repo');
    const first = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ key, channels: ['email', 'sms'] });
    expect(first.status).toBe(200);
    // The digits are right (phone 0912345678, ID …2222): enough to read, not to switch the citizen's messages off.
    for (const factor of [{ last4: '5678' }, { last4: '2222' }, { applicantId: applicant.id }]) {
      const res = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ ...factor, channels: [] });
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.code).toBe('KEY_REQUIRED');
      expect(res.body.error.issues[0].path).toBe('/key');
      expect(res.body.error.message.vi).toContain('mã QR');
    }
    // Right digits beside a wrong key do not pass for the key.
    const junk = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ key: 'sai-khoa', last4: '5678', channels: [] });
    expect(junk.status).toBe(404);
    expect(await preferencesOf(h.deps.db, id)).toEqual(['email', 'sms']);
    const ok = await h.http.put(`/api/public/dossiers/${id}/notifications`).send({ key, channels: ['email'] });
    expect(ok.status).toBe(200);
    expect(await preferencesOf(h.deps.db, id)).toEqual(['email']);
  });

  it('should retry a message the mail server did not take, and log the failure', async () => {
    const { id } = await receive();
    const mail = h.deps.config.mail;
    h.deps.config.mail = { url: 'smtp://127.0.0.1:1', from: mail!.from };
    // A new config object: channels are cached per config, so give the deps a fresh one.
    const deps = { ...h.deps, config: { ...h.deps.config } };
    await notifyRound(deps, { settleMs: 0 });
    const r = await deliverNotifications(deps);
    expect(r.failed).toBeGreaterThan(0);
    const [row] = await h.deps.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.dossierId, id));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toBeTruthy();
    h.deps.config.mail = mail;
    h.clock.advance(60_000);
    await round();
    const rows = await h.deps.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.dossierId, id));
    expect(rows.every((x) => x.status === 'sent')).toBe(true);
    expect(mailsFor(id).length).toBe(rows.length);
  });
});
