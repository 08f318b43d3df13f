/**
 * Hole 11: login. Unknown usernames cost the same password hash as real ones (no
 * enumeration by timing), and throttling counts failures only — per account, wherever the
 * guesses come from, and per address, whichever accounts they try — so an office behind one
 * router is never locked out by its own successful logins. Addresses are simulated with
 * X-Forwarded-For (the app trusts the loopback proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, seedPeople, type Harness } from '../../server/test/support/harness';
import { passwordChecks } from '../../server/src/auth/passwords';
import { users } from '../../server/src/db/schema';

const UNIT = '000.01.31.H99';
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ config: { loginRateLimit: 8, loginAccountLimit: 5, loginWindowSeconds: 900 } });
  await seedPeople(h, ['lan', 'hung', 'tuan', 'mai', 'khoa', 'an', 'binh'].map((username) => ({ username, grants: [{ role: 'desk', unit: UNIT }] })));
});
afterAll(async () => h?.close());

const attempt = (username: string, password: string, from: string) =>
  h.http.post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });

describe('login', () => {
  it('should run the password hash for unknown and deactivated users too', async () => {
    await h.deps.db.update(users).set({ active: false }).where(eq(users.id, 'u-binh'));
    for (const [username, password] of [['lan', 'wrong'], ['no-such-officer', 'wrong'], ['binh', 'binh-pass']] as const) {
      const before = passwordChecks.count;
      const res = await attempt(username, password, '10.9.0.1');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('BAD_CREDENTIALS');
      expect(passwordChecks.count - before, username).toBe(1);
    }
  });

  it('should never lock out an office whose staff sign in successfully, however often', async () => {
    for (let i = 0; i < 20; i++) {
      const who = ['lan', 'hung', 'tuan'][i % 3]!;
      const res = await attempt(who, `${who}-pass`, '10.0.0.1');
      expect(res.status, `login ${i + 1}`).toBe(200);
    }
  });

  it('should pause an account after 5 failures wherever they come from, saying how long to wait', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('mai', 'guess', `10.1.0.${i}`)).status).toBe(401);
    // even the right password, from yet another address, waits
    const blocked = await attempt('mai', 'mai-pass', '10.1.0.99');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.body.error.message.vi).toMatch(/đăng nhập sai 5 lần.*thử lại sau 15 phút/);
    expect(blocked.body.error.message.en).toMatch(/try again in 15 minute/);
    expect(Number(blocked.headers['retry-after'])).toBe(900);
    // another account from the same addresses is not affected
    expect((await attempt('hung', 'hung-pass', '10.1.0.1')).status).toBe(200);
    // and the wait ends with the window
    h.clock.advance(10 * 60_000);
    const later = await attempt('mai', 'mai-pass', '10.1.0.99');
    expect(later.status).toBe(429);
    expect(later.body.error.message.vi).toContain('thử lại sau 5 phút');
    h.clock.advance(5 * 60_000);
    expect((await attempt('mai', 'mai-pass', '10.1.0.99')).status).toBe(200);
  });

  it('should count unknown usernames like real ones (the pause does not reveal who exists)', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('nobody-here', 'guess', `10.2.0.${i}`)).status).toBe(401);
    const blocked = await attempt('nobody-here', 'guess', '10.2.0.9');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message.vi).toContain('Tài khoản này đã đăng nhập sai 5 lần');
  });

  it('should pause an address that sprays many accounts, but not the other addresses', async () => {
    const names = ['khoa', 'an', 'lan', 'hung', 'tuan', 'khoa', 'an', 'lan'];
    for (const [i, name] of names.entries()) expect((await attempt(name, 'guess', '10.3.0.1')).status, `guess ${i + 1}`).toBe(401);
    const blocked = await attempt('tuan', 'tuan-pass', '10.3.0.1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message.vi).toMatch(/quá nhiều lần đăng nhập sai từ địa chỉ mạng này.*thử lại sau \d+ phút/);
    expect((await attempt('tuan', 'tuan-pass', '10.3.0.2')).status).toBe(200);
  });
});
