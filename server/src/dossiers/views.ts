import { availableActions, progress, timeliness, type DossierSnapshot } from '@motcua/engine';
import { forbidden, notFound } from '../http/errors';
import { actorOf, type AuthUser } from '../auth/middleware';
import type { Deps } from '../deps';
import { childCodes, history as historyRows, inboxPage, lastEvent as lastEventRow, loadDossier, type DossierRow } from './repo';
import { delegationsFor } from './delegations';
import { iso } from '../db/time';
import { atUnit, lensesOf, lensUnits, sees } from './visibility';

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
  const byKey = await childCodes(deps.db, id);
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
  const calendar = await deps.directory.calendar(requested[0]);
  const pageSize = Math.min(query.pageSize ?? 50, 200);
  const page = Math.max(query.page ?? 1, 1);
  const soon = new Date(calendar.addWorkingMinutes(now.getTime(), calendar.minutesPerDay)).toISOString();
  const { total, rows } = await inboxPage(deps.db, {
    lenses, box, now: now.toISOString(), soon, procedureId: query.procedureId, channel: query.channel, q: query.q, page, pageSize,
  });
  // Step names come from each dossier's own version (cached per version): a dossier keeps
  // its labels after that version is retired or a successor renames its steps.
  const procs = new Map<string, Awaited<ReturnType<typeof deps.directory.procedure>>>();
  for (const r of rows) {
    const key = `${r.procedureId}@${r.procedureVersion}`;
    if (!procs.has(key)) procs.set(key, await deps.directory.procedure(r.procedureId, r.procedureVersion));
  }
  return {
    total, page, pageSize,
    items: rows.map((r) => {
      const s = r.snapshot as DossierSnapshot;
      const proc = procs.get(`${r.procedureId}@${r.procedureVersion}`);
      return {
        id: r.id, procedureId: r.procedureId, procedureCode: r.procedureCode, field: r.field, applicantName: r.applicantName,
        status: r.status, outcome: r.outcome, channel: r.channel, dueAt: iso(r.dueAt), receivedAt: iso(r.receivedAt), closedAt: iso(r.closedAt),
        steps: s.active.map((a) => ({ step: a.step, name: proc?.steps.get(a.step)?.def.name ?? null, unit: a.unit, role: a.role, dueAt: a.dueAt })),
        progress: progress(s, now.toISOString(), calendar), version: r.version,
      };
    }),
  };
}

/** The history of a dossier, oldest first. */
export async function history(deps: Deps, id: string) {
  return historyRows(deps.db, id);
}

/** A dossier's latest event, or undefined before its first. */
export async function lastEvent(deps: Deps, id: string) {
  return lastEventRow(deps.db, id);
}
