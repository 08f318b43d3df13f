/**
 * The public lookup as an outsider would try it (issue 8, hole 5). Dossier codes are
 * sequential by law, so an attacker can walk them: without the applicant's second factor the
 * walk must reveal nothing beyond "exists / status" (no procedure — it names the life event —
 * no dates, no steps); guessing the 4 digits is throttled per code and per address (429 with
 * Retry-After, lifted when the injected clock passes it); the rating endpoint gives one answer
 * for an unknown code and a wrong ID; the /public socket namespace follows the same rule.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU_STAFF, createHarness, login, publishFixture, seedPeople, type Harness } from '../../server/test/support/harness';
import { attachRealtime, type Realtime } from '../../server/src/realtime';
import { dossiers } from '../../server/src/db/schema';
import { LOOKUP_POLICY } from '../../server/src/dossiers/lookup';
import { figure } from './support/world';

const ANPHU = '000.01.31.H99';
/** Words that would betray the life event or the person. */
const SECRETS = ['khai-tu', 'Khai tử', 'khai tử', 'Đăng ký khai tử', '1.000656', 'Trần Văn Tư', '079052001234', '0987654321', 'procedure', 'timeline', 'current', 'dueAt'];

let h: Harness;
let desk: string;
const codes: string[] = [];
let server: http.Server;
let realtime: Realtime;
let url = '';
const sockets: ClientSocket[] = [];
/** Each scenario comes from its own address (the app trusts X-Forwarded-For from loopback, as behind a proxy). */
const from = (n: number) => ({ 'X-Forwarded-For': `203.0.113.${n}` });

beforeAll(async () => {
  h = await createHarness({ now: '2026-03-02T01:15:00.000Z' });
  await seedPeople(h, ANPHU_STAFF);
  await publishFixture(h, 'xac-nhan-tinh-trang-hon-nhan');
  desk = await login(h, 'lan');
  for (let i = 0; i < 3; i++) {
    const res = await h.http.post('/api/dossiers').set('Authorization', desk).send({
      procedureId: 'xac-nhan-tinh-trang-hon-nhan', channel: 'direct', receivingUnit: ANPHU, accept: true,
      applicant: { id: '079052001234', name: 'Trần Văn Tư', phone: '0987 654 321' },
      data: { personName: 'Trần Văn Tư', dateOfBirth: '1952-04-18', maritalStatus: 'never-married', purpose: 'marriage' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    codes.push((res.body as { id: string }).id);
  }
  server = http.createServer(h.app.app);
  realtime = await attachRealtime(server, h.deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await realtime.close();
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  await h.close();
});

const keyOf = async (code: string): Promise<string> =>
  (await h.deps.db.select({ k: dossiers.lookupToken }).from(dossiers).where(eq(dossiers.id, code)))[0]!.k;

describe('public lookup without the second factor', () => {
  it('should reveal nothing beyond exists/status to someone walking the sequential codes', async () => {
    const prefix = codes[0]!.slice(0, -4);
    let found = 0;
    const answers: string[] = [];
    const N = 40;
    for (let n = 1; n <= N; n++) {
      const res = await h.http.get(`/api/public/dossiers/${encodeURIComponent(`${prefix}${String(n).padStart(4, '0')}`)}`).set(from(1));
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) {
        found++;
        expect(Object.keys(res.body as object).sort()).toEqual(['id', 'status', 'verified']);
      }
      answers.push(JSON.stringify(res.body));
    }
    const text = answers.join('\n');
    for (const s of SECRETS) expect(text).not.toContain(s);
    figure(`[security] lookup: ${N} sequential codes guessed without a factor, ${found} found, fields revealed: id, status`);
    expect(found).toBe(3);
  });

  it('should show the public fields with the QR key or the last 4 digits of the phone or ID, and never the person', async () => {
    const code = codes[0]!;
    const key = await keyOf(code);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    for (const factor of [{ key }, { last4: '4321' }, { last4: '1234' }]) {
      const res = await h.http.post(`/api/public/dossiers/${encodeURIComponent(code)}/lookup`).set(from(2)).send(factor);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: code, verified: true, procedure: { code: '1.004873' } });
      expect(JSON.stringify(res.body)).not.toMatch(/Trần Văn Tư|079052001234|0987/);
    }
    // the slip's QR address carries the key
    const pdf = await h.http.get(`/api/dossiers/${encodeURIComponent(code)}/slips/receipt`).set('Authorization', desk);
    expect(pdf.status).toBe(200);
  });

  it('should throttle guesses of the 4 digits per code, even a right guess, until the window passes', async () => {
    const code = codes[1]!;
    const guess = (last4: string, n: number) => h.http.post(`/api/public/dossiers/${encodeURIComponent(code)}/lookup`).set(from(n)).send({ last4 });
    // wrong guesses from several addresses (a botnet) count against the code
    for (let i = 0; i < LOOKUP_POLICY.failedByCode.points; i++) {
      const res = await guess(String(1000 + i), 10 + i);
      expect(res.status).toBe(403);
      expect(Object.keys(res.body as object)).toEqual(['error']);
    }
    const locked = await guess('4321', 30);
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOOKUP_POLICY.failedByCode.duration);
    expect((locked.body as { error: { message: { vi: string; en: string } } }).error.message.vi).toContain('thử lại sau');
    // the holder of the slip is not locked out: the QR key cannot be guessed, so it passes
    expect((await h.http.post(`/api/public/dossiers/${encodeURIComponent(code)}/lookup`).set(from(31)).send({ key: await keyOf(code) })).status).toBe(200);
    // once the clock passes Retry-After, the right digits work again
    h.clock.advance(retryAfter * 1000);
    expect((await guess('4321', 32)).status).toBe(200);
  });

  it('should throttle every lookup per address with 429 and Retry-After', async () => {
    const addr = from(99);
    let last = 0;
    for (let i = 0; i <= LOOKUP_POLICY.address.points; i++) {
      const res = await h.http.get(`/api/public/dossiers/${encodeURIComponent(`${ANPHU}-260302-${String(5000 + i)}`)}`).set(addr);
      last = res.status;
      if (res.status === 429) {
        expect(i).toBe(LOOKUP_POLICY.address.points);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(last).toBe(429);
    h.clock.advance(LOOKUP_POLICY.address.duration * 1000);
    expect((await h.http.get(`/api/public/dossiers/${encodeURIComponent(codes[2]!)}`).set(addr)).status).toBe(200);
  });
});

describe('rating', () => {
  it('should give the same answer for an unknown dossier and a wrong ID, and throttle the guesses', async () => {
    const code = codes[2]!;
    const unknown = `${code.slice(0, -4)}9999`;
    const rate = (c: string, body: object, n: number) => h.http.post(`/api/public/dossiers/${encodeURIComponent(c)}/rating`).set(from(n)).send({ score: 5, ...body });
    const a = await rate(unknown, { applicantId: '079052001234' }, 40);
    const b = await rate(code, { applicantId: '000000000000' }, 41);
    expect(a.status).toBe(404);
    expect(b.status).toBe(404);
    expect(JSON.stringify(a.body).replaceAll(unknown, 'CODE')).toBe(JSON.stringify(b.body).replaceAll(code, 'CODE'));
    // no factor at all is refused before the dossier is even read
    expect((await rate(unknown, {}, 42)).status).toBe(422);
    // guessing IDs from one address is throttled, whichever codes it tries
    let status = 0;
    for (let i = 0; i < LOOKUP_POLICY.failedByAddress.points + 1 && status !== 429; i++) status = (await rate(`${code.slice(0, -4)}${8000 + i}`, { last4: '0000' }, 43)).status;
    expect(status).toBe(429);
  });
});

describe('the /public socket namespace', () => {
  const online = (): Promise<ClientSocket> => new Promise((resolve, reject) => {
    const s = connect(`${url}/public`, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: from(60) });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });

  it('should give a code alone the status only, the public fields with a factor, and refuse a wrong factor', async () => {
    const citizen = await online();
    const code = codes[0]!;
    const plain = await citizen.timeout(5000).emitWithAck('subscribe', code) as { ok: boolean; verified: boolean; dossier: object };
    expect(plain).toMatchObject({ ok: true, verified: false });
    expect(Object.keys(plain.dossier).sort()).toEqual(['dossierId', 'status', 'version']);
    const wrong = await citizen.timeout(5000).emitWithAck('subscribe', { code, last4: '0000' }) as { ok: boolean; error?: { code: string } };
    expect(wrong).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const right = await citizen.timeout(5000).emitWithAck('subscribe', { code, key: await keyOf(code) }) as { ok: boolean; verified: boolean; dossier: object };
    expect(right).toMatchObject({ ok: true, verified: true });
    expect(Object.keys(right.dossier)).toContain('current');
    const nul = await citizen.timeout(5000).emitWithAck('subscribe', `X\u0000Y`) as { ok: boolean; error?: { code: string } };
    expect(nul).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
