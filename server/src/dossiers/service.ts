/**
 * The dossier wing's use cases: intake, act, bulk, rating, claim and assign, the lists and
 * views. It owns idempotency, the cache of rows just written and the choice between one
 * statement and a transaction; ./routes.ts only passes parameters in and answers out,
 * ./repo.ts speaks SQL, ./projections.ts shapes the answers, ./effects.ts sorts the engine's effects.
 * Other features reach the wing through this file.
 */
import {
  apply, availableActions, dueSoonHorizon, holds, outputsOf, start, type Actor, type ActionRequest, type Channel, type CompiledProcedure, type DossierEvent, type DossierSnapshot,
  type EngineContext, type ReturnVia, type Transition,
} from '@motcua/engine';
import type { Tx } from '../db/client';
import { versionMetaInForce } from '../catalog/service';
import { HttpError, forbidden, fromEngine, notFound, type Issue } from '../http/errors';
import { actorOf, loadUser, requireRoleAt, type AuthUser } from '../auth/service';
import { bumpDaily } from '../stats/index';
import type { BusMessage } from '../bus';
import type { Deps } from '../deps';
import { nextDossierCode } from './code';
import {
  childCodes, childrenOf, commitTransition, history as historyRows, holdStep, inboxPage, loadDossier, planCommit, runCommit, setRatingOnce,
  type Box, type DossierRow, type Holder,
} from './repo';
import { delegationsFor } from './delegations';
import { checkChannel, checkRouting } from './routing';
import { dossierCache } from './cache';
import { verifyChain } from './chain';
import { actionInputs, actionLabel, explainConflict } from './conflict';
import { composeOnce, runOnce } from './idempotency';
import { planEffects } from './effects';
import { atUnit, changedNotice, lensesOf, lensUnits, sees, type Lens } from './visibility';
import { brief, eventView, inboxItem, officerView, type Brief, type InboxItem, type OfficerView } from './projections';
import { coordinationOf, previewOf, type Preview } from './coordination';

export { DESK_ROLE, lensesOf, sees } from './visibility';

export type { DossierRow } from './repo';
/** The public lookup's second factor, for other features serving a citizen without a session (payments, notifications). */
export { addressOf, hasFactor, lookUp, type Factor } from './lookup';
export {
  claimDueTimeout, countAtUnit, loadDossier, markDeadlineBatch, openByVersion, openChildren, postponeTimeout, setNextTimeout,
  migrationCandidates, openIdsOnVersion, writeMigrated,
  type DeadlineCandidate, type DeadlineQuery, type OutboxInsert, type Holder, type MigratedDossier, type MigrationCandidate,
} from './repo';

/** Forgets rows this process remembered (a migration rewrote them behind the cache). */
export function forgetCachedDossiers(deps: Deps, ids: readonly string[]): void {
  const cache = dossierCache(deps.database);
  for (const id of ids) cache.forget(id);
}
export { audienceOf, changedNotice } from './visibility';
import { issueSlips, mayIssueSlips } from '../slips/index';
import { checkInputText } from './inputLimits';
import { itemIssues, trimmedInputs, withInputsAt } from './actionInputs';
import { signResults } from '../esign/service';
import { parametersForIntake } from '../parameters/service';
import { checkHandoffUnit, isNonGeographic, nonGeographicList } from '../catalog/service';
import { planSharedIntake, type ReuseRequest } from '../papers/index';
import { normalizeVnPhone, PHONE_MESSAGE } from '@motcua/engine/phone';

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Hệ thống', kind: 'system', grants: [] };

async function compiled(deps: Deps, id: string, version: number): Promise<CompiledProcedure> {
  const proc = await deps.directory.procedure(id, version);
  if (!proc) throw notFound({ vi: 'thủ tục', en: 'procedure' }, `${id}@${version}`);
  return proc;
}

async function context(deps: Deps, actor: Actor, unit: string, now: Date): Promise<EngineContext> {
  return {
    now: now.toISOString(),
    actor,
    calendar: await deps.directory.calendar(unit),
    delegations: actor.kind === 'officer' ? await delegationsFor(deps, actor.id, now) : [],
    units: await deps.directory.unitInfos(),
  };
}

export interface IntakeInput {
  procedureId: string;
  channel: Channel;
  receivingUnit: string;
  competentUnit?: string;
  returnUnit?: string;
  returnVia?: ReturnVia;
  applicant: { id?: string; name: string; address?: string; phone?: string; email?: string };
  data?: { [key: string]: unknown };
  /** Ids of the catalog's papers ticked at the desk. */
  papers?: string[];
  /** Shared-data lookups (with consent) this intake uses: papers found there are not asked for (docs/papers.md). */
  sharedData?: string[];
  /** Stored digitised papers or results of the applicant reused for checklist items. */
  reuse?: ReuseRequest[];
  /**
   * What the intake reads before it writes, read by the caller before its transaction began
   * (`prefetchIntake`): under READ COMMITTED a read inside the transaction guards against no
   * more (a version published meanwhile is seen by neither), and each one held the
   * transaction's connection for a round trip while other requests waited for one.
   */
  prefetched?: IntakeReads;
}

/** The version in force and the parameters of an intake at `at`, read before its transaction. */
export interface IntakeReads {
  at: Date;
  version: number | null;
  parameters: Awaited<ReturnType<typeof parametersForIntake>> | null;
}

/**
 * Reads what `intake` reads before it writes, outside any transaction: the version of
 * `procedureId` in force now and, when that is `expected`'s version, the parameters its fees
 * use at `unit` (otherwise the intake reads them for the version it finds).
 */
export async function prefetchIntake(deps: Deps, procedureId: string, unit: string, expected: CompiledProcedure): Promise<IntakeReads> {
  const at = deps.clock.now();
  const [meta, parameters] = await Promise.all([
    versionMetaInForce(deps.db, procedureId, at),
    parametersForIntake(deps, deps.db, expected.definition, unit, at),
  ]);
  const version = meta?.version ?? null;
  return { at, version, parameters: version === expected.definition.version ? parameters : null };
}

/**
 * A paper received at intake as the dossier keeps it: the catalog's words at that version,
 * so the specialist and the leader read what the desk ticked even after the catalog changes.
 */
export interface IntakePaper { id: string; name: { vi: string; en?: string }; form: string; count: number }

/**
 * The ticked papers, each one of the version's catalog papers (422 pointing at an unknown
 * one). A paper the catalog asks for only under a condition that does not hold on the
 * dossier's data (a witness statement when a birth certificate was given) is not part of
 * the dossier: "tick all" at the desk does not make it one.
 */
export function intakePapers(proc: CompiledProcedure, ids: readonly string[], data: { [key: string]: unknown }): IntakePaper[] {
  const catalog = proc.definition.catalog.documents;
  const scope = { data, inputs: {}, dossier: {} };
  return ids.flatMap((id, n) => {
    const d = catalog.find((c) => c.id === id);
    if (!d) {
      const message = { vi: `Thủ tục không có giấy tờ "${id}" trong thành phần hồ sơ`, en: `The procedure lists no paper "${id}"` };
      throw new HttpError(422, 'UNKNOWN_PAPER', message, [{ path: `/papers/${n}`, message }]);
    }
    return holds(d.when, scope) ? [{ id: d.id, name: d.name, form: d.form, count: d.count }] : [];
  });
}

/** Receives a dossier: code, version in force, engine start, commit. Runs inside the caller's transaction. */
/** The data field carrying the national portal's dossier id (MaHoSoQG) of a dossier that came from the portal. */
export const PORTAL_ID_FIELD = 'portalDossierId';

/**
 * What a write left: the dossier's row, what to announce after commit, and the events this
 * write appended to the dossier's own history (a new dossier's whole history: no read back).
 */
export interface Committed { row: DossierRow; notices: BusMessage[]; events: readonly DossierEvent[] }

export async function intake(deps: Deps, tx: Tx, actor: Actor, input: IntakeInput): Promise<Committed> {
  const read = input.prefetched;
  const now = read?.at ?? deps.clock.now();
  for (const unit of [input.receivingUnit, input.competentUnit, input.returnUnit]) {
    if (unit && !(await deps.directory.unit(unit))) throw notFound({ vi: 'đơn vị', en: 'unit' }, unit);
  }
  // The national portal's dossier id names the portal's record this dossier's progress is sent
  // to (outbox/portal/facts.ts): only the portal's own inbound path (a system actor) sets it.
  if (input.data && Object.hasOwn(input.data, PORTAL_ID_FIELD) && actor.kind !== 'system') {
    const message = {
      vi: `Trường "${PORTAL_ID_FIELD}" do Cổng Dịch vụ công quốc gia ghi, không nhập được trong tờ khai`,
      en: `"${PORTAL_ID_FIELD}" is set by the national portal only, not in the form`,
    };
    throw new HttpError(422, 'RESERVED_FIELD', message, [{ path: `/data/${PORTAL_ID_FIELD}`, message }]);
  }
  const version = read ? read.version : (await versionMetaInForce(tx, input.procedureId, now))?.version ?? null;
  if (version === null) {
    throw new HttpError(422, 'PROCEDURE_NOT_IN_FORCE', {
      vi: `Thủ tục "${input.procedureId}" không có phiên bản đang có hiệu lực`,
      en: `Procedure "${input.procedureId}" has no version in force`,
    });
  }
  const proc = await compiled(deps, input.procedureId, version);
  checkChannel(proc.definition, input.channel);
  await checkRouting(deps.directory, proc.definition, input);
  const papers = input.papers?.length ? intakePapers(proc, input.papers, input.data ?? {}) : [];
  const { applicant, procedureId: _p, papers: _papers, sharedData: _s, reuse: _r, prefetched: _read, ...rest } = input;
  const competent = input.competentUnit ?? input.receivingUnit;
  // Lookups and stored papers this intake uses: checked now, recorded on the data, written after the dossier.
  const shared = await planSharedIntake(deps, tx, actor, proc, {
    applicantId: applicant.id, receivingUnit: input.receivingUnit, competentUnit: competent, lookups: input.sharedData, reuse: input.reuse,
  }, async (row) => sees(await lensesOf(deps, { id: actor.id, name: actor.name, grants: actor.grants, username: '', tokenVersion: 0 }), row as DossierRow));
  const ctx = await context(deps, actor, input.competentUnit ?? input.receivingUnit, now);
  // Provincial parameters (fees the province sets) in force now are recorded on the dossier.
  const params = read?.parameters ?? await parametersForIntake(deps, tx, proc.definition, input.competentUnit ?? input.receivingUnit, now);
  // Non-geographic intake follows the province's list when it has one (docs/records.md), recorded on the dossier.
  const catalog = proc.definition.catalog;
  const nonGeographic = isNonGeographic(await nonGeographicList(deps), catalog.code, catalog.nonGeographic);
  const startWith = (dossierId: string) => start(proc, {
    ...rest, dossierId, ...params,
    ...(nonGeographic !== catalog.nonGeographic ? { nonGeographic } : {}),
    applicant: { name: applicant.name, ...(applicant.id ? { id: applicant.id } : {}) },
    data: {
      ...(input.data ?? {}),
      applicantContact: { address: applicant.address ?? null, phone: applicant.phone ?? null, email: applicant.email ?? null },
      ...(papers.length ? { intakePapers: papers } : {}),
      ...shared.data,
    },
  }, ctx);
  // The engine's checks (routing, channel, the form) first, so a refused intake takes no number:
  // on PostgreSQL the number is taken outside this transaction (./code.ts) and kept.
  const outside = deps.database.outside ?? null;
  if (outside) {
    const checked = startWith('');
    if (!checked.ok) throw fromEngine(checked.error);
  }
  const started = startWith(await nextDossierCode(tx, input.receivingUnit, now, outside));
  if (!started.ok) throw fromEngine(started.error);
  const out = await commitAndFollow(deps, tx, proc, null, started.value, ctx);
  await shared.store(tx, out.row.id);
  return out;
}

/** Applies an action to a dossier inside the caller's transaction (optimistic: the version is checked on write). */
export async function act(
  deps: Deps, tx: Tx, actor: Actor, dossierId: string, req: ActionRequest, loaded?: DossierRow, planned?: Planned,
): Promise<Committed> {
  // A row the caller already read is as good as a fresh one: the write checks its version.
  const row = loaded && loaded.id === dossierId ? loaded : await loadDossier(tx, dossierId);
  if (!row) throw notFound({ vi: 'hồ sơ', en: 'dossier' }, dossierId);
  // The engine ran on this very row already when the caller planned it: not again.
  const { proc, ctx, transition } = planned && row === loaded ? planned : await planAction(deps, actor, row, req);
  return commitAndFollow(deps, tx, proc, row, transition, ctx);
}

/** What the engine made of an action on a row, before anything is written. */
export interface Planned { proc: CompiledProcedure; ctx: EngineContext; transition: Transition }

/**
 * Runs the engine on a dossier row (pure but for cached reference data): what the action
 * changes, before anything is written. 409 with the current state on a stale `expectedVersion`;
 * 422 INPUT_TOO_LONG for a string in the inputs over `MAX_INPUT_TEXT` characters, whatever
 * the procedure's schema says (every action, the officers' and the applicant's, comes here).
 */
export async function planAction(
  deps: Deps, actor: Actor, row: DossierRow, req: ActionRequest,
): Promise<Planned> {
  checkInputText(req.inputs ?? {});
  const proc = await compiled(deps, row.procedureId, row.procedureVersion);
  const ctx = await context(deps, actor, row.competentUnit, deps.clock.now());
  const result = apply(proc, row.snapshot as DossierSnapshot, req, ctx);
  if (!result.ok) {
    throw fromEngine(result.error, result.error.code === 'DOSSIER_VERSION_CONFLICT' ? { current: publicState(row) } : {});
  }
  return { proc, ctx, transition: result.value };
}

/**
 * Whether a transition is written by one statement alone: it spawns no linked dossier, signs
 * no result and closes no linked dossier whose parent then resumes (those follow in the same transaction).
 */
export function standsAlone(before: DossierRow, transition: Transition): boolean {
  const plan = planEffects(transition.effects);
  // A signed result is written beside the dossier (../esign/service.ts).
  if (plan.spawns.length > 0 || plan.signs.length > 0) return false;
  return !(before.parentId && before.parentKey && transition.snapshot.closedAt && !before.closedAt);
}

/** A compact current state, sent with a 409 so the client can show what changed. */
export function publicState(row: DossierRow): Brief {
  return brief(row);
}

/**
 * Commits a transition, then what it sets in motion in the same transaction: linked
 * dossiers spawned at other units, and — when a linked dossier closes — the parent's
 * hand-off step resumed by the system with the child's outcome.
 */
async function commitAndFollow(
  deps: Deps, tx: Tx, proc: CompiledProcedure, before: DossierRow | null, transition: Transition, ctx: EngineContext,
  parent?: { id: string; key: string }, depth = 0,
): Promise<Committed> {
  if (depth > 5) throw new Error('Linked dossiers nest deeper than 5 levels');
  const field = proc.definition.catalog.field;
  // Slips it issues are records from this moment: built, rendered and stored with it (../slips/issue.ts).
  const slips = await issueSlips(deps, tx, proc, before, transition);
  transition = slips.transition;
  // A result it signs is signed before anything is written: a refused signature refuses the action (../esign/service.ts).
  const results = await signResults(deps, tx, proc, before, transition, ctx);
  const committed = await commitTransition(tx, { proc, before, transition, field, calendar: ctx.calendar, ...(parent ? { parent } : {}) });
  await slips.store(committed.row);
  await results.store();
  const notices = [...committed.notices];
  const s = transition.snapshot;
  for (const effect of planEffects(transition.effects).spawns) {
    const now = deps.clock.now();
    const version = (await versionMetaInForce(tx, effect.procedure, now))?.version ?? null;
    if (version === null) {
      throw new HttpError(422, 'LINKED_PROCEDURE_NOT_IN_FORCE', {
        vi: `Thủ tục liên thông "${effect.procedure}" chưa có phiên bản có hiệu lực`,
        en: `Linked procedure "${effect.procedure}" has no version in force`,
      });
    }
    const child = await compiled(deps, effect.procedure, version);
    // The linked dossier's unit must be of a kind competent for its procedure (catalog/unitKinds.ts).
    const target = await deps.directory.unit(effect.unit);
    if (!target) throw notFound({ vi: 'đơn vị', en: 'unit' }, effect.unit);
    checkHandoffUnit(child.definition, target, effect.step);
    const childCtx = { ...ctx, actor: SYSTEM_ACTOR, calendar: await deps.directory.calendar(effect.unit) };
    const started = start(child, {
      dossierId: await nextDossierCode(tx, effect.unit, now), channel: s.channel, receivingUnit: effect.unit,
      applicant: s.applicant, data: effect.data,
    }, childCtx);
    if (!started.ok) throw fromEngine(started.error);
    const r = await commitAndFollow(deps, tx, child, null, started.value, childCtx, { id: s.dossierId, key: effect.key }, depth + 1);
    notices.push(...r.notices);
  }
  const row = committed.row;
  if (row.parentId && row.parentKey && s.closedAt && !before?.closedAt) {
    notices.push(...(await resumeParent(deps, tx, row, s, depth)));
  }
  return { row, notices, events: transition.events };
}

async function resumeParent(deps: Deps, tx: Tx, child: DossierRow, s: DossierSnapshot, depth: number): Promise<BusMessage[]> {
  const parentRow = await loadDossier(tx, child.parentId as string);
  if (!parentRow) return [];
  const proc = await compiled(deps, parentRow.procedureId, parentRow.procedureVersion);
  const step = proc.steps.get(child.parentKey as string);
  const parentSnap = parentRow.snapshot as DossierSnapshot;
  const actions = step?.def.actions?.filter((a) => (a.role ?? step.def.role) === 'system') ?? [];
  if (!step || actions.length === 0 || !parentSnap.active.some((a) => a.step === step.def.id)) {
    deps.logger.warn({ child: child.id, parent: parentRow.id }, 'linked dossier closed but the parent no longer waits for it');
    return [];
  }
  // The answer: the child's outcome and the outputs its procedure declares (mapped into the
  // parent's data by the hand-off's `outputs`, before the parent's guards and routes run).
  const childProc = await compiled(deps, child.procedureId, child.procedureVersion);
  const outputs = outputsOf(childProc, s);
  const inputs = { outcome: s.outcome === 'approved' ? 'approved' : 'rejected', ...(Object.keys(outputs).length ? { outputs } : {}) };
  const ctx = await context(deps, SYSTEM_ACTOR, parentRow.competentUnit, deps.clock.now());
  // The first system action whose guard holds on the answer resumes the parent.
  let last = '';
  for (const action of actions) {
    const result = apply(proc, parentSnap, { step: step.def.id, action: action.id, inputs }, ctx);
    if (!result.ok) {
      last = result.error.code;
      continue;
    }
    const r = await commitAndFollow(deps, tx, proc, parentRow, result.value, ctx, undefined, depth + 1);
    return r.notices;
  }
  deps.logger.warn({ child: child.id, parent: parentRow.id, error: last }, 'could not resume the parent dossier');
  return [];
}

// ---- Reading: who sees what, the officer's view, inbox lists, history

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

/** The dossier as an officer's screen shows it, with the actions this user may take now. */
export async function dossierView(deps: Deps, user: AuthUser, row: DossierRow): Promise<OfficerView> {
  const s = row.snapshot as DossierSnapshot;
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const now = deps.clock.now();
  const calendar = await deps.directory.calendar(row.competentUnit);
  const actions = proc ? availableActions(proc, s, {
    now: now.toISOString(), actor: actorOf(user), calendar,
    delegations: await delegationsFor(deps, user.id, now), units: await deps.directory.unitInfos(),
  }) : [];
  // Most dossiers hand nothing off: no query for them.
  const keys = Object.keys(s.links);
  const byKey = keys.length ? await childCodes(deps.db, row.id) : new Map<string | null, string>();
  const links = Object.fromEntries(keys.map((k) => [k, { ...s.links[k]!, dossierId: byKey.get(k) ?? null }]));
  return officerView(row, proc, now, calendar, actions, links);
}

/** A dossier the user may see, as their screen shows it. */
export async function viewDossier(deps: Deps, user: AuthUser, id: string): Promise<OfficerView> {
  return dossierView(deps, user, await visibleDossier(deps, user, id));
}

export interface InboxQuery {
  box?: Box | 'held';
  q?: string;
  procedureId?: string;
  unit?: string;
  channel?: 'direct' | 'online' | 'postal';
  page?: number;
  pageSize?: number;
}

/**
 * Inbox lists: "mine" = open dossiers at a step of a role the user holds at that unit;
 * "held" = open dossiers with a step this user holds (claimed or assigned); "unit" = open at
 * the user's units; due soon (within one working day), overdue, waiting for the citizen, closed.
 */
export async function inbox(deps: Deps, user: AuthUser, query: InboxQuery): Promise<{ items: InboxItem[]; total: number; page: number; pageSize: number }> {
  const all = await lensesOf(deps, user);
  const lenses = query.unit ? atUnit(all, query.unit) : all;
  if (lenses.length === 0) return { items: [], total: 0, page: 1, pageSize: query.pageSize ?? 50 };
  const requested = [...lensUnits(lenses)];
  const now = deps.clock.now();
  const calendar = await deps.directory.calendar(requested[0]);
  const pageSize = Math.min(query.pageSize ?? 50, 200);
  const page = Math.max(query.page ?? 1, 1);
  // The same horizon as the dashboard's card and the sweeper's notice.
  const soon = new Date(dueSoonHorizon(now.getTime(), calendar)).toISOString();
  const box = query.box ?? 'unit';
  const { total, rows } = await inboxPage(deps.db, {
    lenses, box: box === 'held' ? 'all' : box, heldBy: box === 'held' ? user.id : undefined,
    now: now.toISOString(), soon, procedureId: query.procedureId, channel: query.channel, q: query.q, page, pageSize,
  });
  // Step names come from each dossier's own version (cached per version): a dossier keeps
  // its labels after that version is retired or a successor renames its steps.
  const procs = new Map<string, CompiledProcedure | null>();
  for (const r of rows) {
    const key = `${r.procedureId}@${r.procedureVersion}`;
    if (!procs.has(key)) procs.set(key, await deps.directory.procedure(r.procedureId, r.procedureVersion));
  }
  return { total, page, pageSize, items: rows.map((r) => inboxItem(r, procs.get(`${r.procedureId}@${r.procedureVersion}`), now, calendar)) };
}

/** The history of a dossier, oldest first. */
export async function history(deps: Deps, id: string) {
  return historyRows(deps.db, id);
}

/** A visible dossier's history as the officer's timeline shows it, hand-offs shown as coordination with the other unit. */
export async function events(deps: Deps, user: AuthUser, id: string) {
  const row = await visibleDossier(deps, user, id);
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  const rows = await history(deps, id);
  // Most dossiers hand nothing off: no query for them.
  const links = Object.keys((row.snapshot as DossierSnapshot).links).length ? await childrenOf(deps.db, row.id) : [];
  const coordination = await coordinationOf(deps, proc, rows, links);
  return rows.map((e) => {
    const at = e.payload as { step?: string; action?: string };
    // The history reads its inputs with the action's form: titles, order, choice labels.
    return eventView(e, actionLabel(proc, at), actionInputs(proc, at) as { [key: string]: unknown } | null, coordination.get(e.seq));
  });
}

/**
 * What an action would set in motion, before it is taken: the engine runs on the dossier as
 * it stands (nothing is written) and the units its hand-offs would go to are named from the
 * directory; a unit the data names that will not do answers 422 with its pointer, as the
 * action itself would.
 */
export async function previewAction(deps: Deps, user: AuthUser, id: string, body: ActionInput): Promise<Preview> {
  const row = await visibleDossier(deps, user, id);
  const trimmed = trimmedBody(body);
  const { transition } = await withInputsAt('/inputs', trimmed.inputs, () => planAction(deps, actorOf(user), row, requestOf(trimmed)));
  return previewOf(deps, transition);
}

/** Verifies a visible dossier's hash chain, and that it ends where the row says. */
export async function verify(deps: Deps, user: AuthUser, id: string) {
  const row = await visibleDossier(deps, user, id);
  const result = verifyChain(await history(deps, id));
  return { ...result, matchesHead: result.ok ? result.head === row.lastHash : false };
}

// ---- Changing: intake, actions, bulk

export type Answer<T> = { status: number; body: T; replayed: boolean };

export interface IntakeRequest extends IntakeInput {
  /** Accept at once (one click at the desk). */
  accept?: boolean;
}

/**
 * The applicant's phone as typed at the desk, checked and in national form ("0912345678"):
 * it goes on the receipt and its last 4 digits unlock the public lookup, so a mistyped
 * number is refused at its field rather than kept. A blank phone is no phone.
 */
function withApplicantPhone(body: IntakeRequest): IntakeRequest {
  const typed = body.applicant.phone?.trim();
  const { phone: _phone, ...applicant } = body.applicant;
  if (!typed) return { ...body, applicant };
  const phone = normalizeVnPhone(typed);
  if (phone === null) throw new HttpError(422, 'PHONE_INVALID', PHONE_MESSAGE, [{ path: '/applicant/phone', message: PHONE_MESSAGE }]);
  return { ...body, applicant: { ...applicant, phone } };
}

/** Receives a dossier at a desk of the user's (and accepts it when asked), once per Idempotency-Key. */
export async function receive(deps: Deps, user: AuthUser | null, typed: IntakeRequest, key: string | undefined): Promise<Answer<OfficerView>> {
  if (!user) throw forbidden({ vi: 'Cần đăng nhập', en: 'Sign-in required' });
  await requireRoleAt(deps, user, ['desk'], typed.receivingUnit);
  const body = withApplicantPhone(typed);
  const { accept, ...input } = body;
  const out = await runOnce(deps, user.id, key, { path: '/api/dossiers', body }, async (tx, d) => {
    const actor = actorOf(user);
    let r = await intake(d, tx, actor, input);
    const notices = [...r.notices];
    if (accept) {
      const s = r.row.snapshot as DossierSnapshot;
      const step = s.active[0]?.step;
      if (!step) throw new HttpError(422, 'NOTHING_TO_ACCEPT', { vi: 'Hồ sơ không ở bước tiếp nhận', en: 'The dossier is not at an intake step' });
      r = await act(d, tx, actor, r.row.id, { step, action: 'accept' });
      notices.push(...r.notices);
    }
    return { status: 201, body: await dossierView(d, user, r.row), notices };
  });
  return out as Answer<OfficerView>;
}

export interface ActionInput {
  step: string;
  action: string;
  inputs?: { [key: string]: unknown };
  expectedVersion?: number;
}

const requestOf = (b: ActionInput): ActionRequest => ({
  step: b.step, action: b.action, inputs: b.inputs ?? {}, ...(b.expectedVersion !== undefined ? { expectedVersion: b.expectedVersion } : {}),
});

/** The body as the engine sees it and the Idempotency-Key remembers it: text inputs trimmed (./actionInputs.ts). */
const trimmedBody = <B extends ActionInput>(b: B): B => (b.inputs === undefined ? b : { ...b, inputs: trimmedInputs(b.inputs) });

/**
 * Takes an action on a dossier, once per Idempotency-Key. The row this process last wrote
 * saves reading it again, but it is a guess: the write checks its version, and any refusal
 * on it (stale version, an action no longer open, another unit's dossier by now) is tried
 * again once on the row read afresh. The engine runs once per row tried.
 */
export async function takeAction(deps: Deps, user: AuthUser, id: string, given: ActionInput, key: string | undefined, path: string): Promise<Answer<OfficerView>> {
  const body = trimmedBody(given);
  return withInputsAt('/inputs', body.inputs, () => takeTrimmed(deps, user, id, body, key, path));
}

async function takeTrimmed(deps: Deps, user: AuthUser, id: string, body: ActionInput, key: string | undefined, path: string): Promise<Answer<OfficerView>> {
  const cache = dossierCache(deps.database);
  const remembered = cache.get(id);
  if (remembered && (await maySee(deps, user, remembered))) {
    const attempt = actOnRow(deps, user, remembered, body, key, path);
    try {
      return await attempt.run();
    } catch (e) {
      if (!(e instanceof HttpError) || attempt.wrote()) throw e;
      cache.forget(id);
    }
  }
  const fresh = await visibleDossier(deps, user, id);
  try {
    return await actOnRow(deps, user, fresh, body, key, path).run();
  } catch (e) {
    throw await explainConflict(deps, fresh, e);
  }
}

/** One try of an action on one row: one statement when the change stands alone, else a transaction. */
function actOnRow(deps: Deps, user: AuthUser, loaded: DossierRow, body: ActionInput, key: string | undefined, path: string) {
  const actor = actorOf(user);
  const request = requestOf(body);
  const cache = dossierCache(deps.database);
  let wrote = false;
  let planned: Promise<Planned> | null = null;
  const plan = (): Promise<Planned> => (planned ??= planAction(deps, actor, loaded, request));
  const run = async (): Promise<Answer<OfficerView>> => (await runOnce(deps, user.id, key, { path, body }, async (tx, d) => {
    cache.forget(loaded.id);
    const r = await act(d, tx, actor, loaded.id, request, loaded, await plan());
    return { status: 200, body: await dossierView(d, user, r.row), notices: r.notices };
  }, async () => {
    // Most actions change this dossier alone: one statement, no transaction around it.
    const { proc, ctx, transition } = await plan();
    // A slip it issues is stored in the same transaction as the action (../slips/issue.ts).
    if (!standsAlone(loaded, transition) || mayIssueSlips(proc, loaded, transition)) return null;
    const commit = planCommit({ proc, before: loaded, transition, field: proc.definition.catalog.field, calendar: ctx.calendar });
    return {
      status: 200, body: await dossierView(deps, user, commit.row), notices: commit.notices,
      write: async (raw, answer) => {
        await runCommit(raw, commit, answer);
        wrote = true;
        cache.remember(commit.stored());
      },
    };
  })) as Answer<OfficerView>;
  return { run, wrote: () => wrote };
}

export interface BulkItem extends ActionInput { id: string }

export interface BulkResult {
  results: { id: string; ok: boolean; dossier?: Brief; error?: { code: string; message: { vi: string; en?: string }; issues?: Issue[] } }[];
  succeeded: number;
  failed: number;
}

/**
 * The same kind of action on many dossiers; each item succeeds or fails on its own, in its
 * own transaction. With an Idempotency-Key each item is made once under a key derived from
 * it, and the whole answer is stored once every item ran: a retry returns the same answer.
 */
export async function bulk(deps: Deps, user: AuthUser, given: BulkItem[], key: string | undefined): Promise<Answer<BulkResult>> {
  const items = given.map(trimmedBody);
  return composeOnce(deps, user.id, key, { path: '/api/dossiers/bulk-actions', items }, async (itemKey) => {
    const results: BulkResult['results'] = [];
    for (const [i, item] of items.entries()) {
      try {
        await visibleDossier(deps, user, item.id);
        const out = await runOnce(deps, user.id, itemKey(i), item, async (tx, d) => {
          const r = await act(d, tx, actorOf(user), item.id, requestOf(item));
          return { status: 200, body: brief(r.row), notices: r.notices };
        });
        results.push({ id: item.id, ok: true, dossier: out.body as Brief });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        const issues = itemIssues(e, i, item.inputs);
        results.push({ id: item.id, ok: false, error: { code: e.code, message: e.messages, ...(issues?.length ? { issues } : {}) } });
      }
    }
    return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  }) as Promise<Answer<BulkResult>>;
}

// ---- Rating

/**
 * The rating rule: only the first rating of a dossier counts (two at once: one wins), and
 * it is counted in the competent unit's rollups on the local day it was given. Runs in the
 * caller's transaction; false when the dossier was rated already.
 */
export async function recordRating(deps: Deps, tx: Tx, id: string, score: number, comment: string | null, at: Date): Promise<boolean> {
  const row = await setRatingOnce(tx, id, score, comment);
  if (!row) return false;
  const calendar = await deps.directory.using(tx as unknown as Deps['db']).calendar(row.competentUnit);
  await bumpDaily(tx, { unit: row.competentUnit, day: calendar.localDate(at.getTime()), procedureId: row.procedureId, field: row.field }, { ratingCount: 1, ratingSum: score });
  return true;
}

/** A citizen rates the service once the result is returned (the factor already checked). */
export async function rate(deps: Deps, row: DossierRow, score: number, comment: string | null): Promise<{ id: string; rating: number }> {
  if (!row.closedAt || row.outcome !== 'approved') {
    throw new HttpError(409, 'NOT_RETURNED', { vi: 'Chỉ đánh giá được sau khi đã trả kết quả', en: 'You can rate only after the result is returned' });
  }
  await deps.db.transaction(async (tx) => {
    if (!(await recordRating(deps, tx, row.id, score, comment, deps.clock.now()))) {
      throw new HttpError(409, 'ALREADY_RATED', { vi: 'Hồ sơ đã được đánh giá', en: 'This dossier was already rated' });
    }
  });
  dossierCache(deps.database).forget(row.id);
  deps.bus.publish({ type: 'stats.changed', units: [row.competentUnit] });
  return { id: row.id, rating: score };
}

// ---- Holding a step: claim and assign (a person, not a role, holds a dossier)

/** Roles that may hand a step at their units (and below) to one of its officers. */
const ASSIGNERS = new Set(['leader', 'admin']);

const covers = (l: Lens, role: string, unit: string, procedureId: string): boolean =>
  l.role === role && l.units.includes(unit) && (l.procedures === null || l.procedures.includes(procedureId));

/**
 * Whether a user may act in a role at a unit, as the engine decides an action: their own
 * grant at that very unit, or a delegation in force there. A leader's lens reaches the units
 * below to oversee them, not to sign for them: holding a step one cannot act on would only
 * keep it from the officers who can.
 */
export async function mayActAs(deps: Deps, user: AuthUser, role: string, unit: string, procedureId: string): Promise<boolean> {
  if (user.grants.some((g) => g.role === role && g.unit === unit)) return true;
  return (await lensesOf(deps, user)).some((l) => l.delegationId !== undefined && covers(l, role, unit, procedureId));
}

/** Who may hold a step: the role and unit of its pool (the engine's `assign` effect), else the step's own. */
function seat(row: DossierRow, step: string): { role: string; unit: string } {
  const s = row.snapshot as DossierSnapshot;
  const active = row.closedAt ? undefined : s.active.find((a) => a.step === step);
  if (!active) {
    throw new HttpError(409, 'STEP_NOT_ACTIVE', {
      vi: `Hồ sơ không còn ở bước "${step}"`, en: `The dossier is no longer at step "${step}"`,
    }, [{ path: '/step', message: { vi: 'Bước không còn hoạt động', en: 'Step not active' } }]);
  }
  const pool = (row.holders as Record<string, Holder>)[step];
  const role = pool?.role ?? active.role;
  if (!role) {
    throw new HttpError(422, 'STEP_NOT_HELD', { vi: 'Bước này do hệ thống xử lý, không giao cho người', en: 'The system handles this step; nobody holds it' },
      [{ path: '/step', message: { vi: 'Bước không có vai trò xử lý', en: 'The step has no role' } }]);
  }
  return { role, unit: pool?.unit ?? active.unit };
}

async function hold(deps: Deps, user: AuthUser, row: DossierRow, step: string, holder: Holder, onlyIfFreeFor: string | null): Promise<OfficerView> {
  const updated = await holdStep(deps.db, row.id, step, holder, onlyIfFreeFor);
  if (!updated) {
    const now = await loadDossier(deps.db, row.id);
    const other = now ? (now.holders as Record<string, Holder>)[step] : undefined;
    if (now && other?.id && other.id !== onlyIfFreeFor) {
      throw new HttpError(409, 'STEP_HELD', {
        vi: `Bước này đang do ${other.name ?? other.id} xử lý`, en: `${other.name ?? other.id} already holds this step`,
      }, undefined, { holder: { id: other.id, name: other.name } });
    }
    if (now) seat(now, step);
    throw new HttpError(409, 'DOSSIER_VERSION_CONFLICT', { vi: 'Hồ sơ vừa thay đổi; hãy tải lại', en: 'The dossier has just changed; reload' });
  }
  dossierCache(deps.database).forget(row.id);
  deps.bus.publish(changedNotice(updated));
  return dossierView(deps, user, updated);
}


/** The user takes a step they may handle (their role at its unit, own or delegated). */
export async function claim(deps: Deps, user: AuthUser, id: string, step: string): Promise<OfficerView> {
  const row = await visibleDossier(deps, user, id);
  const { role, unit } = seat(row, step);
  if (!(await mayActAs(deps, user, role, unit, row.procedureId))) {
    throw forbidden({ vi: `Chỉ người có vai trò ${role} tại đơn vị ${unit} mới nhận được bước này`, en: `Only an officer with role ${role} at unit ${unit} may take this step` });
  }
  const at = deps.clock.now().toISOString();
  return hold(deps, user, row, step, { role, unit, id: user.id, name: user.name, at, by: null }, user.id);
}

/**
 * Hands a step to a named officer who holds its role at its unit (own grant or a delegation
 * in force). Whoever assigns holds that role at that unit too, or leads or administers it.
 */
export async function assign(deps: Deps, user: AuthUser, id: string, step: string, officerId: string): Promise<OfficerView> {
  const row = await visibleDossier(deps, user, id);
  const { role, unit } = seat(row, step);
  const mine = await lensesOf(deps, user);
  if (!mine.some((l) => (l.role === role || ASSIGNERS.has(l.role)) && covers({ ...l, role }, role, unit, row.procedureId))) {
    throw forbidden({
      vi: `Chỉ lãnh đạo hoặc người có vai trò ${role} tại đơn vị ${unit} mới giao được bước này`,
      en: `Only a leader, or an officer with role ${role}, at unit ${unit} may assign this step`,
    });
  }
  const target = await loadUser(deps, officerId);
  if (!target || !(await mayActAs(deps, target, role, unit, row.procedureId))) {
    throw new HttpError(422, 'ASSIGNEE_LACKS_ROLE', {
      vi: `Người được giao phải có vai trò ${role} tại đơn vị ${unit}`,
      en: `The assignee must hold role ${role} at unit ${unit}`,
    }, [{ path: '/officerId', message: { vi: 'Không có vai trò phù hợp tại đơn vị', en: 'No matching role at the unit' } }]);
  }
  const at = deps.clock.now().toISOString();
  return hold(deps, user, row, step, { role, unit, id: target.id, name: target.name, at, by: { id: user.id, name: user.name } }, null);
}
