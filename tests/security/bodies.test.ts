/**
 * Huge and pathological bodies on the routes anyone can reach (the portal's inbound path, the
 * public payment and notification routes, the citizen's drafts): too large → 413, deeply
 * nested → 4xx, never a 500, and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANPHU, as, citizen, onlineWorld, type OnlineWorld } from '../../server/test/support/online';
import type { CitizenSession } from '../../server/test/support/citizens';
import { Tally } from './support/world';
import { changed, digest } from './support/db';

let w: OnlineWorld;
let s: CitizenSession;
let draft = '';
const tally = new Tally('huge and nested bodies (route × body)');

beforeAll(async () => {
  w = await onlineWorld();
  s = await citizen(w, '001199000002');
  const d = await as(w.h, s).post('/api/me/drafts').send({ procedureId: 'dang-ky-khai-sinh', receivingUnit: ANPHU });
  expect(d.status).toBe(201);
  draft = d.body.id;
});
afterAll(async () => {
  tally.assert();
  await w.close();
});

const huge = JSON.stringify({ MaHoSoQG: 'x', pad: 'a'.repeat(2 * 1024 * 1024) });
/** About 200 000 levels of arrays: well under the body limit. */
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('bodies', () => {
  it('should answer 413 to a body over the limit on every public route, storing nothing', async () => {
    const before = await digest(w.h);
    const c = as(w.h, s);
    const tries: [string, () => Promise<{ status: number; body: { error?: { message?: { vi?: string } } } }>][] = [
      ['portal inbound', () => w.h.http.post('/api/portal/inbound').set('X-Portal-Token', 'khong-dung').set('Content-Type', 'application/json').send(huge)],
      ['fees', () => w.h.http.post('/api/public/dossiers/X/fees').set('Content-Type', 'application/json').send(huge)],
      ['payments', () => w.h.http.post('/api/public/dossiers/X/payments').set('Content-Type', 'application/json').send(huge)],
      ['notifications', () => w.h.http.put('/api/public/dossiers/X/notifications').set('Content-Type', 'application/json').send(huge)],
      ['lookup', () => w.h.http.post('/api/public/dossiers/X/lookup').set('Content-Type', 'application/json').send(huge)],
      ['draft', () => c.patch(`/api/me/drafts/${draft}`).set('Content-Type', 'application/json').send(huge)],
      ['new draft', () => c.post('/api/me/drafts').set('Content-Type', 'application/json').send(huge)],
    ];
    for (const [what, send] of tries) {
      const res = await send();
      tally.record(`huge body to ${what}`, false, res.status !== 413);
      expect(res.status, what).toBe(413);
      expect(res.body.error?.message?.vi, what).toBeTruthy();
    }
    // an IPN is a GET: a huge query string is refused before it reaches the handler
    const ipn = await w.h.http.get(`/api/payments/vnpay/ipn?vnp_TxnRef=${'A'.repeat(100_000)}`);
    tally.record('huge IPN query', false, ipn.status < 400);
    expect(ipn.status).toBeGreaterThanOrEqual(400);
    expect(changed(before, await digest(w.h))).toEqual([]);
  });

  it('should answer 4xx to deeply nested JSON in a citizen\'s draft and the public routes, never 500', async () => {
    const c = as(w.h, s);
    const nested = `{"data":{"childName":${deep(200_000)}}}`;
    expect(nested.length).toBeLessThan(1024 * 1024);
    const before = await digest(w.h);
    const tries: [string, () => Promise<{ status: number; body: unknown }>][] = [
      ['draft', () => c.patch(`/api/me/drafts/${draft}`).set('Content-Type', 'application/json').send(nested)],
      ['new draft', () => c.post('/api/me/drafts').set('Content-Type', 'application/json').send(`{"procedureId":"dang-ky-khai-sinh","data":{"x":${deep(200_000)}}}`)],
      ['portal inbound', () => w.h.http.post('/api/portal/inbound').set('X-Portal-Token', 'khong-dung').set('Content-Type', 'application/json').send(`{"DuLieu":{"x":${deep(200_000)}}}`)],
      ['fees', () => w.h.http.post('/api/public/dossiers/X/fees').set('Content-Type', 'application/json').send(`{"key":${deep(200_000)}}`)],
    ];
    for (const [what, send] of tries) {
      const res = await send();
      expect(res.status, `${what}: ${JSON.stringify(res.body).slice(0, 200)}`).not.toBe(500);
      tally.record(`nested body to ${what}`, false, res.status < 400);
    }
    expect(changed(before, await digest(w.h))).toEqual([]);
    // a draft stays usable
    expect((await c.get(`/api/me/drafts/${draft}`)).status).toBe(200);
  });
});
