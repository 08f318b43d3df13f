import { and, asc, desc, eq, ilike, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { availableActions, progress, timeliness, type DossierSnapshot } from '@motcua/engine';
import { dossierEvents, dossiers } from '../db/schema';
import { forbidden, notFound } from '../http/errors';
import { actorOf, type AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { loadDossier, type DossierRow } from './store';
import { delegationsFor } from './delegations';
import { iso } from '../catalog/service';
import { atUnit, lensesOf, lensUnits, sees, stepClause, textArray, visibleWhere } from './visibility';

/** Loads a dossier the user may see, else 404 / 403. */
export async function visibleDossier(deps: Deps, user: AuthUser, id: string): Promise<DossierRow> {
  const row = await loadDossier(deps.db, id);
  if (!row) throw notFound({ vi: 'hồ sơ', en: 'dossier' }, id);
  if (!(await maySee(deps, user, row))) {
    throw forbidden({ vi: `Hồ sơ ${id} không thuộc đơn vị của bạn`, en: `Dossier ${id} does not belong to your units` });
  }
  return row;
}

/** Whether the user may see a dossier now (the rule of ./visibility.ts). */
export async function maySee(deps: Deps, user: AuthUser, row: DossierRow): Promise<boolean> {
  return sees(await lensesOf(deps, user), row);
}

/** The snapshot's links with the code of each linked dossier, so screens can open it. */
async function linksWithIds(deps: Deps, id: string, links: DossierSnapshot['links']) {
  const keys = Object.keys(links);
  // Most dossiers hand nothing off: no query for them.
  if (keys.length === 0) return {};
  const rows = await deps.db.select({ id: dossiers.id, key: dossiers.parentKey }).from(dossiers).where(eq(dossiers.parentId, id));
  const byKey = new Map(rows.map((r) => [r.key, r.id]));
  return Object.fromEntries(keys.map((k) => [k, { ...links[k], dossierId: byKey.get(k) ?? null }]));
}

/** The dossier as an officer's screen shows it, with the actions this user may take now. */
export async function dossierView(deps: Deps, user: AuthUser, row: DossierRow) {
  const s = row.snapshot as DossierSnapshot;
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const now = deps.clock.now();
  const calendar = await deps.directory.calendar(row.competentUnit);
  const actions = proc ? availableActions(proc, s, {
    now: now.toISOString(), actor: actorOf(user), calendar,
    delegations: await delegationsFor(deps, user.id, now), units: await deps.directory.unitInfos(),
  }) : [];
  return {
    id: row.id,
    version: row.version,
    procedure: { id: row.procedureId, version: row.procedureVersion, code: row.procedureCode, name: proc?.definition.catalog.name ?? null, field: row.field },
    status: row.status,
    outcome: row.outcome,
    channel: row.channel,
    applicant: s.applicant,
    routing: s.routing,
    data: s.data,
    clock: s.clock,
    active: s.active.map((a) => ({ ...a, name: proc?.steps.get(a.step)?.def.name ?? null, kind: proc?.steps.get(a.step)?.def.kind ?? null })),
    links: await linksWithIds(deps, row.id, s.links),
    parentId: row.parentId,
    progress: progress(s, now.toISOString(), calendar),
    timeliness: timeliness(s, calendar),
    actions,
    rating: row.rating,
  };
}

export interface InboxQuery {
  box?: 'mine' | 'unit' | 'due-soon' | 'overdue' | 'waiting' | 'closed' | 'all';
  q?: string;
  procedureId?: string;
  unit?: string;
  channel?: 'direct' | 'online' | 'postal';
  page?: number;
  pageSize?: number;
}

/**
 * Inbox lists: "mine" = open dossiers at a step of a role the user holds at that unit;
 * "unit" = open at the user's units; due soon (within one working day), overdue, waiting
 * for the citizen, closed. Uses the open-dossier indexes, never a scan of all dossiers.
 */
export async function inbox(deps: Deps, user: AuthUser, query: InboxQuery) {
  const all = await lensesOf(deps, user);
  const lenses = query.unit ? atUnit(all, query.unit) : all;
  if (lenses.length === 0) return { items: [], total: 0, page: 1, pageSize: query.pageSize ?? 50 };
  const requested = [...lensUnits(lenses)];
  const now = deps.clock.now();
  const box = query.box ?? 'unit';
  const conditions: SQL[] = [visibleWhere(lenses)];
  if (box === 'closed') conditions.push(isNotNull(dossiers.closedAt));
  else if (box === 'mine') conditions.push(isNull(dossiers.closedAt), sql`(${sql.join(lenses.map(stepClause), sql` or `)})`);
  else if (box !== 'all') conditions.push(isNull(dossiers.closedAt), sql`${dossiers.stepUnits} && ${textArray(requested)}`);
  const calendar = await deps.directory.calendar(requested[0]);
  if (box === 'overdue') conditions.push(lt(dossiers.dueAt, now.toISOString()));
  if (box === 'due-soon') {
    const soon = new Date(calendar.addWorkingMinutes(now.getTime(), calendar.minutesPerDay)).toISOString();
    conditions.push(lt(dossiers.dueAt, soon), sql`${dossiers.dueAt} >= ${now.toISOString()}`);
  }
  if (box === 'waiting') conditions.push(eq(dossiers.status, 'waiting-citizen'));
  if (query.procedureId) conditions.push(eq(dossiers.procedureId, query.procedureId));
  if (query.channel) conditions.push(eq(dossiers.channel, query.channel));
  if (query.q) {
    const like = `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(dossiers.id, like), ilike(dossiers.applicantName, like)) as SQL);
  }
  const where = and(...conditions);
  const pageSize = Math.min(query.pageSize ?? 50, 200);
  const page = Math.max(query.page ?? 1, 1);
  const [count] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(dossiers).where(where);
  // The columns the list shows, and of each snapshot only its active steps and its clock:
  // parsing whole snapshots and mapping every column cost more than the rest of the request.
  const rows = await deps.db.select({
    id: dossiers.id, procedureId: dossiers.procedureId, procedureVersion: dossiers.procedureVersion, procedureCode: dossiers.procedureCode,
    field: dossiers.field, applicantName: dossiers.applicantName, status: dossiers.status, outcome: dossiers.outcome, channel: dossiers.channel,
    dueAt: dossiers.dueAt, receivedAt: dossiers.receivedAt, closedAt: dossiers.closedAt, version: dossiers.version,
    active: sql<DossierSnapshot['active']>`${dossiers.snapshot}->'active'`,
    clock: sql<DossierSnapshot['clock']>`${dossiers.snapshot}->'clock'`,
    snapshotClosedAt: sql<string | null>`${dossiers.snapshot}->>'closedAt'`,
  }).from(dossiers).where(where)
    .orderBy(box === 'closed' ? desc(dossiers.closedAt) : sql`${dossiers.dueAt} asc nulls last`, asc(dossiers.id))
    .limit(pageSize).offset((page - 1) * pageSize);
  // Step names come from each dossier's own version (cached per version): a dossier keeps
  // its labels after that version is retired or a successor renames its steps.
  const procs = new Map<string, Awaited<ReturnType<typeof deps.directory.procedure>>>();
  for (const r of rows) {
    const key = `${r.procedureId}@${r.procedureVersion}`;
    if (!procs.has(key)) procs.set(key, await deps.directory.procedure(r.procedureId, r.procedureVersion));
  }
  return {
    total: count?.n ?? 0, page, pageSize,
    items: rows.map((r) => {
      // progress() reads only these two parts of a snapshot.
      const s = { closedAt: r.snapshotClosedAt, clock: r.clock } as DossierSnapshot;
      const proc = procs.get(`${r.procedureId}@${r.procedureVersion}`);
      return {
        id: r.id, procedureId: r.procedureId, procedureCode: r.procedureCode, field: r.field, applicantName: r.applicantName,
        status: r.status, outcome: r.outcome, channel: r.channel, dueAt: iso(r.dueAt), receivedAt: iso(r.receivedAt), closedAt: iso(r.closedAt),
        steps: r.active.map((a) => ({ step: a.step, name: proc?.steps.get(a.step)?.def.name ?? null, unit: a.unit, role: a.role, dueAt: a.dueAt })),
        progress: progress(s, now.toISOString(), calendar), version: r.version,
      };
    }),
  };
}

/** The history of a dossier, oldest first. */
export async function history(deps: Deps, id: string) {
  return deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id)).orderBy(asc(dossierEvents.seq));
}

/** A dossier's latest event, or undefined before its first. */
export async function lastEvent(deps: Deps, id: string) {
  const [e] = await deps.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id)).orderBy(desc(dossierEvents.seq)).limit(1);
  return e;
}
