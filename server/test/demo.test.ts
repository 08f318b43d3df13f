import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { and, asc, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { createCalendar, VN_DEFAULT_CALENDAR, type ProcedureDefinition } from '@motcua/engine';
import { createHarness, type Harness } from './support/harness';
import { seedDemo, type SeedSummary } from '../src/demo/seed';
import { demoPeople, demoUnits, PROCEDURES_DIR } from '../src/demo/people';
import { loadScenarioBanks } from '../src/demo/inputs';
import { planDossiers } from '../src/demo/plan';
import { Rng } from '../src/demo/random';
import { verifyChain } from '../src/dossiers/chain';
import { calendars, dossierEvents, dossiers, grants, procedureVersions, units, users } from '../src/db/schema';

// Monday 15 June 2026, 10:00 in Hà Nội.
const NOW = '2026-06-15T03:00:00.000Z';
const COUNT = 40;
let h: Harness;
let summary: SeedSummary;

beforeAll(async () => {
  // given a fresh database seeded with a small demo
  h = await createHarness({ now: NOW });
  summary = await seedDemo(h.deps, { now: new Date(NOW), dossiers: COUNT });
});
afterAll(async () => h?.close());

describe('demo seed', () => {
  it('should create the demo units with collective names and head titles', async () => {
    const rows = await h.deps.db.select().from(units);
    expect(rows.map((u) => u.code).sort()).toEqual(demoUnits().map((u) => u.code).sort());
    expect(rows.filter((u) => u.kind === 'commune' || u.kind === 'ward').length).toBeGreaterThanOrEqual(3);
    expect(rows.some((u) => u.kind === 'police') && rows.some((u) => u.kind === 'social-insurance')).toBe(true);
    for (const u of rows.filter((x) => x.kind === 'commune' || x.kind === 'ward' || x.kind === 'province')) {
      expect(u.collectiveName).toBe('ỦY BAN NHÂN DÂN');
      expect(u.headTitle).toBe('CHỦ TỊCH');
    }
  });

  it('should create users for every role, with a head and a deputy leader at every commune', async () => {
    const people = await h.deps.db.select().from(users);
    expect(people.length).toBe(summary.people.length);
    const held = await h.deps.db.select().from(grants);
    expect(new Set(held.map((g) => g.role))).toEqual(new Set(['admin', 'designer', 'desk', 'specialist', 'leader']));
    const communes = (await h.deps.db.select().from(units)).filter((u) => u.kind === 'commune' || u.kind === 'ward');
    for (const c of communes) {
      const at = held.filter((g) => g.unit === c.code);
      expect(at.map((g) => g.role).sort(), c.code).toEqual(['desk', 'leader', 'leader', 'specialist']);
      expect(at.filter((g) => g.role === 'leader').map((g) => `${g.position} ${g.title}`).sort()).toEqual(['deputy PHÓ CHỦ TỊCH', 'head CHỦ TỊCH']);
    }
    expect(people.map((p) => p.username)).toEqual(expect.arrayContaining(['admin', 'thietke', 'motcua.anphu', 'chuyenvien.anphu', 'lanhdao.anphu', 'phochutich.anphu']));
  });

  it('should publish the whole procedures/ catalog from the start of the demo period, and the default calendar', async () => {
    const slugs = readdirSync(PROCEDURES_DIR, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(`${PROCEDURES_DIR}/${e.name}/procedure.json`));
    const published = await h.deps.db.select().from(procedureVersions);
    expect(published.length).toBe(slugs.length);
    expect(published.every((p) => p.status === 'published')).toBe(true);
    const [first] = await h.deps.db.select({ at: dossiers.submittedAt }).from(dossiers).orderBy(asc(dossiers.submittedAt)).limit(1);
    for (const p of published) expect(Date.parse(p.effectiveFrom!)).toBeLessThanOrEqual(Date.parse(first!.at));
    const [cal] = await h.deps.db.select().from(calendars);
    expect(cal).toMatchObject({ scope: '*', config: VN_DEFAULT_CALENDAR });
  });

  it('should seed the requested number of dossiers over the last quarter, ending in every state', async () => {
    expect(summary.failed).toBe(0);
    expect(summary.dossiers).toBe(COUNT);
    const top = await h.deps.db.select().from(dossiers).where(isNull(dossiers.parentId));
    expect(top.length).toBe(COUNT);
    const now = Date.parse(NOW);
    for (const d of top) {
      expect(Date.parse(d.submittedAt)).toBeGreaterThan(now - 92 * 86_400_000);
      expect(Date.parse(d.submittedAt)).toBeLessThanOrEqual(now);
    }
    const count = (pred: (d: (typeof top)[number]) => boolean) => top.filter(pred).length;
    expect(count((d) => d.status === 'done' && d.outcome === 'approved')).toBeGreaterThan(COUNT / 4);
    expect(count((d) => d.outcome === 'refused' || d.outcome === 'withdrawn')).toBeGreaterThan(0);
    expect(count((d) => d.outcome === 'refused')).toBeGreaterThan(0);
    expect(count((d) => d.outcome === 'withdrawn')).toBeGreaterThan(0);
    expect(count((d) => d.status === 'waiting-citizen')).toBeGreaterThan(0);
    expect(count((d) => d.status === 'active' && d.dueAt !== null && Date.parse(d.dueAt) < now)).toBeGreaterThan(0);
    expect(count((d) => d.status === 'active' && (d.dueAt === null || Date.parse(d.dueAt) >= now))).toBeGreaterThan(0);
    expect(new Set(top.map((d) => d.procedureId)).size).toBeGreaterThan(5);
    expect(new Set(top.map((d) => d.receivingUnit)).size).toBeGreaterThan(2);
    expect([...new Set(top.map((d) => d.channel))]).toEqual(expect.arrayContaining(['direct', 'online']));
    // Returned early, on time and late all show in the rollups the reports read.
    const [r] = await h.deps.db.execute(sql`select sum(resolved_early)::int early, sum(resolved_on_time)::int on_time, sum(resolved_late)::int late from stats_daily`)
      .then((x) => (x as unknown as { rows: { early: number; on_time: number; late: number }[] }).rows);
    expect(r!.early + r!.on_time + r!.late).toBeGreaterThan(0);
  });

  it('should record every history with a hash chain that verifies, and no event after now', async () => {
    const events = await h.deps.db.select().from(dossierEvents).orderBy(asc(dossierEvents.dossierId), asc(dossierEvents.seq));
    const rows = await h.deps.db.select({ id: dossiers.id, lastHash: dossiers.lastHash }).from(dossiers);
    expect(events.length).toBeGreaterThan(rows.length * 2);
    for (const row of rows) {
      const chain = verifyChain(events.filter((e) => e.dossierId === row.id));
      expect(chain, row.id).toMatchObject({ ok: true, head: row.lastHash });
    }
    expect(events.every((e) => Date.parse(e.at) <= Date.parse(NOW))).toBe(true);
    const closedLate = await h.deps.db.select({ id: dossiers.id }).from(dossiers).where(and(isNotNull(dossiers.closedAt), lt(sql`${NOW}::timestamptz`, dossiers.closedAt)));
    expect(closedLate).toEqual([]);
  });

  it('should let a demo desk officer sign in and see a non-empty inbox', async () => {
    const login = await h.http.post('/api/auth/login').send({ username: 'motcua.anphu', password: 'motcua.anphu@123' });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const auth = `Bearer ${(login.body as { token: string }).token}`;
    const inbox = await h.http.get('/api/dossiers?box=all').set('Authorization', auth);
    expect(inbox.status).toBe(200);
    const total = (inbox.body as { total: number }).total;
    expect(total).toBeGreaterThan(0);
    // and filtering by channel splits the inbox without losing or repeating a dossier
    const byChannel = await Promise.all(['direct', 'online', 'postal'].map(async (c) => {
      const r = await h.http.get(`/api/dossiers?box=all&channel=${c}&pageSize=200`).set('Authorization', auth);
      expect(r.status).toBe(200);
      const body = r.body as { total: number; items: { channel: string; receivedAt: string | null; dueAt: string | null }[] };
      expect(body.items.every((i) => i.channel === c)).toBe(true);
      // times are ISO 8601, as everywhere in the API
      for (const i of body.items) for (const at of [i.receivedAt, i.dueAt]) if (at !== null) expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      return body.total;
    }));
    expect(byChannel.reduce((a, b) => a + b, 0)).toBe(total);
    expect((await h.http.get('/api/dossiers?channel=fax').set('Authorization', auth)).status).toBe(400);
    const admin = await h.http.post('/api/auth/login').send({ username: 'admin', password: 'admin@123' });
    expect(admin.status).toBe(200);
  });

  it('should list every demo user in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const p of demoPeople()) expect(readme, p.username).toContain(`| \`${p.username}\` |`);
    expect(readme).toContain('<username>@123');
  });

  it('should plan the same dossiers for the same seed (every fresh start looks the same)', () => {
    const calendar = createCalendar(VN_DEFAULT_CALENDAR);
    const procedures = readdirSync(PROCEDURES_DIR).filter((s) => existsSync(`${PROCEDURES_DIR}/${s}/procedure.json`))
      .map((s) => JSON.parse(readFileSync(`${PROCEDURES_DIR}/${s}/procedure.json`, 'utf8')) as ProcedureDefinition);
    const now = Date.parse(NOW);
    const plan = () => planDossiers({ rng: new Rng(42), calendar, now, periodStart: now - 91 * 86_400_000, units: demoUnits(), procedures, banks: loadScenarioBanks() }, 30);
    expect(plan()).toEqual(plan());
    expect(demoPeople().map((p) => p.name)).toEqual(demoPeople().map((p) => p.name));
  });
});
