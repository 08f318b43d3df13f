/**
 * Whatever the hour the demo is seeded — a Sunday dawn, a weekday night, a working morning —
 * every commune's deputy chairman opens the demo to find a dossier waiting for a signature.
 * (The rest of the demo depends on where "now" falls in the working week.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';
import { seedDemo } from '../src/demo/seed';
import { demoPeople } from '../src/demo/people';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const deputies = () => demoPeople().filter((p) => p.username.startsWith('phochutich.'));

describe('demo: a dossier awaits every commune leader', () => {
  it.each([
    ['Sunday 06:00 in Hà Nội', '2026-12-05T23:00:00.000Z'],
    ['Wednesday 02:00 in Hà Nội', '2026-12-08T19:00:00.000Z'],
    ['Monday 10:00 in Hà Nội', '2026-06-15T03:00:00.000Z'],
  ])('should give each deputy chairman a dossier to sign when seeded on %s', { timeout: 180_000 }, async (_when, now) => {
    h = await createHarness({ now });
    const seeded = await seedDemo(h.deps, { now: new Date(now), dossiers: 16 });
    expect(seeded.failed).toBe(0);
    expect(deputies().length).toBeGreaterThanOrEqual(3);
    for (const p of deputies()) {
      const login = await h.http.post('/api/auth/login').send({ username: p.username, password: p.password });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      const mine = await h.http.get('/api/dossiers?box=mine').set('Authorization', `Bearer ${(login.body as { token: string }).token}`);
      expect(mine.status).toBe(200);
      const items = (mine.body as { items: { status: string }[] }).items;
      expect(items.length, `${p.username} has nothing to sign`).toBeGreaterThan(0);
    }
  });
});
