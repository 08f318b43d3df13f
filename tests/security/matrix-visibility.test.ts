/**
 * Who sees which dossier, tried as every officer on every read route: delegations by scope
 * (in scope, another procedure, expired, not yet valid, revoked) and non-geographic dossiers
 * (the receiving desk against the other officers of the receiving commune, open against
 * closed). The expected answer is written out below, independently of the server's rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANPHU, BINHMINH, CTCK, PEOPLE, TANLAP, Tally, XNHN, act, createWorld, ctckData, gotIn, receive, xnhnData, type World,
} from './support/world';

let w: World;
const tally = new Tally('visibility (route × officer × dossier)');
const DAY = 86_400_000;

const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Read routes of one dossier, and whether a listing shows it. */
const READS = ['', '/events', '/verify', '/documents', '/slips/receipt'];

async function gets(who: string, id: string): Promise<{ route: string; got: boolean }[]> {
  const out: { route: string; got: boolean }[] = [];
  for (const r of READS) {
    const res = await w.h.http.get(`/api/dossiers/${encodeURIComponent(id)}${r}`).set('Authorization', w.auth[who]!);
    expect(res.status, `${who} GET ${r}`).not.toBe(500);
    out.push({ route: `GET ${r || '/'}`, got: gotIn(res.status) });
  }
  for (const box of ['all', 'closed', 'unit', 'mine']) {
    const res = await w.h.http.get(`/api/dossiers?box=${box}&q=${encodeURIComponent(id)}`).set('Authorization', w.auth[who]!);
    const listed = res.status === 200 && (res.body as { items: { id: string }[] }).items.some((i) => i.id === id);
    const counted = res.status === 200 && (res.body as { total: number }).total > 0;
    // A listing may leave a visible dossier out (another box), never show an invisible one.
    out.push({ route: `list ${box}`, got: listed || counted });
  }
  return out;
}

/** Tries every read as every officer; `sees` names who must get in. */
async function readMatrix(what: string, id: string, sees: Set<string>): Promise<void> {
  for (const p of PEOPLE) {
    const allowed = sees.has(p.username);
    for (const r of await gets(p.username, id)) {
      // Listings are a subset: only "all" must show a visible dossier.
      if (r.route.startsWith('list') && r.route !== 'list all' && allowed) continue;
      tally.record(`${p.username} ${r.route} ${what}`, allowed, r.got);
    }
  }
}

/** Tries an upload as every officer; `may` names who must succeed. */
async function uploadMatrix(what: string, id: string, may: Set<string>): Promise<void> {
  for (const p of PEOPLE) {
    const res = await w.h.http.post(`/api/dossiers/${encodeURIComponent(id)}/documents`).set('Authorization', w.auth[p.username]!)
      .attach('file', pdf, { filename: 'giay-to.pdf', contentType: 'application/pdf' });
    expect(res.status, `${p.username} upload ${what}`).not.toBe(500);
    tally.record(`${p.username} upload ${what}`, may.has(p.username), res.status === 201);
  }
}

const ANPHU_STAFF = ['lan', 'hung', 'tuan', 'chu', 'anAdmin'];
const PROVINCE_OVERSIGHT = ['pLeader', 'pAdmin'];

let geo = '';
let geoOther = '';
let closed = '';
let nonGeo = '';

beforeAll(async () => {
  w = await createWorld();
  const now = w.h.clock.now().getTime();
  const iso = (t: number) => new Date(t).toISOString();
  // given An Phú's leader role handed to five Tân Lập specialists by the province administrator
  const delegate = async (to: string, extra: object) => {
    const res = await w.h.http.post('/api/delegations').set('Authorization', w.auth['pAdmin']!).send({
      kind: 'authorisation', from: 'u-tuan', to: `u-${to}`, decision: `${to}/QĐ-UBND`,
      scope: { roles: ['leader'], units: [ANPHU], procedures: [XNHN] },
      validFrom: iso(now - DAY), validTo: iso(now + 30 * DAY), ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  await delegate('dIn', {});
  await delegate('dOut', { scope: { roles: ['leader'], units: [ANPHU], procedures: [CTCK] } });
  await delegate('dExpired', { validFrom: iso(now - 30 * DAY), validTo: iso(now - DAY) });
  await delegate('dFuture', { validFrom: iso(now + DAY), validTo: iso(now + 30 * DAY) });
  const revoked = await delegate('dRevoked', {});
  expect((await w.h.http.post(`/api/delegations/${revoked.id}/revoke`).set('Authorization', w.auth['pAdmin']!)).status).toBe(200);

  // and dossiers of An Phú: two open at the signing step (two procedures), one closed
  const atSign = async (procedureId: string, data: object, step: string) => {
    const d = await receive(w, 'lan', { procedureId, channel: 'direct', receivingUnit: ANPHU, applicant: { id: '079196004040', name: 'Kiều Thị Mỹ' }, data, accept: true });
    await act(w, 'hung', d.id, step, 'propose', procedureId === XNHN ? { certificateNo: '41/2026/XNTTHN' } : { certificationNo: '88', book: '01/2026-SCT/CK', signedInPresence: true });
    return d.id;
  };
  geo = await atSign(XNHN, xnhnData, 'verify');
  geoOther = await atSign(CTCK, ctckData, 'check');
  closed = await atSign(XNHN, xnhnData, 'verify');
  await act(w, 'tuan', closed, 'sign', 'approve');
  await act(w, 'lan', closed, 'return', 'returnResult');
  // and a non-geographic dossier received at Bình Minh's desk for An Phú
  nonGeo = (await receive(w, 'bmDesk', {
    procedureId: XNHN, channel: 'direct', receivingUnit: BINHMINH, competentUnit: ANPHU,
    applicant: { id: '079196004041', name: 'Trần Văn Bảy' }, data: xnhnData,
  })).id;
});
afterAll(async () => {
  tally.assert();
  await w.h.close();
});

describe('delegations: what a delegate sees follows the delegation (scope, period, revocation)', () => {
  it('should show a delegate the dossiers of the delegated procedure only, and only while the delegation is in force', { timeout: 180_000 }, async () => {
    const base = [...ANPHU_STAFF, ...PROVINCE_OVERSIGHT];
    await readMatrix('geo xnhn open', geo, new Set([...base, 'dIn']));
    await readMatrix('geo ctck open', geoOther, new Set([...base, 'dOut']));
    await readMatrix('geo xnhn closed', closed, new Set([...base, 'dIn']));
  });

  it('should let a delegate act exactly where it may read', async () => {
    for (const who of ['dOut', 'dExpired', 'dFuture', 'dRevoked', 'tlSpec']) {
      const res = await w.h.http.post(`/api/dossiers/${encodeURIComponent(geo)}/actions`).set('Authorization', w.auth[who]!)
        .send({ step: 'sign', action: 'approve' });
      tally.record(`${who} approve geo xnhn`, false, res.status === 200);
    }
    const other = await w.h.http.post(`/api/dossiers/${encodeURIComponent(geoOther)}/actions`).set('Authorization', w.auth['dIn']!)
      .send({ step: 'sign', action: 'approve' });
    tally.record('dIn approve geo ctck', false, other.status === 200);
  });

  it('should keep the live-update rooms of the delegator\'s unit from a delegate', async () => {
    const { lensesOf, ownRooms } = await import('../../server/src/dossiers/visibility');
    const { loadUser } = await import('../../server/src/auth/middleware');
    for (const who of ['dIn', 'dOut', 'dExpired', 'dFuture', 'dRevoked']) {
      const user = await loadUser(w.h.deps, `u-${who}`);
      const rooms = ownRooms(await lensesOf(w.h.deps, user!));
      tally.record(`${who} joins unit room of An Phú`, false, rooms.units.includes(ANPHU) || rooms.roles.some((r) => r.unit === ANPHU));
      expect(rooms.units).toContain(TANLAP);
    }
  });
});

describe('non-geographic dossiers: only the receiving desk, only while open', () => {
  it('should show the dossier to the receiving desk and the competent unit, nobody else at the receiving unit', { timeout: 180_000 }, async () => {
    const competent = [...ANPHU_STAFF, ...PROVINCE_OVERSIGHT, 'dIn'];
    // at intake (at the receiving desk)
    await readMatrix('non-geo intake', nonGeo, new Set([...competent, 'bmDesk']));
    await uploadMatrix('non-geo intake', nonGeo, new Set(['lan', 'hung', 'bmDesk']));
    await act(w, 'bmDesk', nonGeo, 'intake', 'accept');
    // in handling at the competent unit
    await readMatrix('non-geo handling', nonGeo, new Set([...competent, 'bmDesk']));
    await uploadMatrix('non-geo handling', nonGeo, new Set(['lan', 'hung', 'bmDesk']));
    await act(w, 'hung', nonGeo, 'verify', 'propose', { certificateNo: '42/2026/XNTTHN' });
    await act(w, 'tuan', nonGeo, 'sign', 'approve');
    // at the return step (the receiving desk returns the result)
    await readMatrix('non-geo return', nonGeo, new Set([...competent, 'bmDesk']));
    await uploadMatrix('non-geo return', nonGeo, new Set(['lan', 'hung', 'bmDesk']));
    await act(w, 'bmDesk', nonGeo, 'return', 'returnResult');
    // closed: the competent unit keeps its records, the receiving desk no longer sees it
    await readMatrix('non-geo closed', nonGeo, new Set(competent));
  });
});

describe('one rule', () => {
  it('should give the same answer as an SQL predicate (lists, counts) and as a row check (detail, documents, sockets)', async () => {
    const { audienceOf, audienceSees, lensesOf, ownRooms, sees } = await import('../../server/src/dossiers/visibility');
    const { visibleIds } = await import('../../server/src/dossiers/repo');
    const { loadUser } = await import('../../server/src/auth/middleware');
    const { dossiers } = await import('../../server/src/db/schema');
    const rows = await w.h.deps.db.select().from(dossiers);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const p of PEOPLE) {
      const lenses = await lensesOf(w.h.deps, (await loadUser(w.h.deps, `u-${p.username}`))!);
      const byRow = rows.filter((r) => sees(lenses, r)).map((r) => r.id).sort();
      const bySql = (await visibleIds(w.h.deps.db, lenses)).sort();
      expect(bySql, p.username).toEqual(byRow);
      // a dossier's watchers are checked against its change's audience: the same answer as the row's
      const byAudience = rows.filter((r) => audienceSees(lenses, audienceOf(r.snapshot as Parameters<typeof audienceOf>[0]))).map((r) => r.id).sort();
      expect(byAudience, p.username).toEqual(byRow);
      // live updates: nobody's rooms hear of a dossier they may not see
      const mine = ownRooms(lenses);
      for (const r of rows) {
        const audience = audienceOf(r.snapshot as Parameters<typeof audienceOf>[0]);
        const hears = audience.units.some((u) => mine.units.includes(u))
          || audience.roles.some((a) => mine.roles.some((m) => m.unit === a.unit && m.role === a.role));
        // (a delegate who may see it follows it through its own room, joined after a check: hearing is never required here)
        if (hears) tally.record(`${p.username} hears of ${r.id} live`, sees(lenses, r), true);
      }
    }
  });
});
