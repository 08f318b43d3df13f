/**
 * Every statement on `dossiers` and `dossier_events` (and the dossier wing's own tables:
 * code counters, idempotent answers): the rest of the wing asks here and speaks no SQL.
 */
import { and, asc, count, desc, eq, getTableColumns, gte, ilike, inArray, isNotNull, isNull, lt, lte, not, or, sql, type SQL } from 'drizzle-orm';
import type { Calendar, CompiledProcedure, DossierSnapshot, MigratedEvent, Transition } from '@motcua/engine';
import type pg from 'pg';
import type { Db, Tx } from '../db/client';
import { documents, dossierCounters, dossierEvents, dossiers, outbox, STATS_SHARD, users } from '../db/schema';
import { rawOf, selectList, statementName, type Raw, type RawQuery } from '../db/raw';
import { HttpError } from '../http/errors';
import { DAILY_COLUMNS, DAILY_COUNTERS, perMonth, rollupsFor } from '../stats/index';
import type { BusMessage } from '../bus';
import { CHAIN_VERSION, GENESIS_HASH, hashEvent } from './chain';
import { portalPayload } from '../outbox/index';
import { changedNotice, DESK_ROLE, type Lens } from './visibility';
import { planEffects } from './effects';

export type DossierRow = typeof dossiers.$inferSelect;
export type HistoryEntry = typeof dossierEvents.$inferSelect;
export type DocRow = typeof documents.$inferSelect;
export type NewDocRow = typeof documents.$inferInsert;

/**
 * Who holds an active step (the `holders` column, by step id). A pool left by the engine's
 * `assign` effect names the role and unit whose officers may take the step and no person yet.
 */
export interface Holder {
  role: string | null;
  unit: string;
  id: string | null;
  name: string | null;
  at: string | null;
  /** Who assigned it; null when the holder claimed it (or nobody holds it yet). */
  by: { id: string; name: string } | null;
}

export interface CommitArgs {
  proc: CompiledProcedure;
  before: DossierRow | null;
  transition: Transition;
  field: string;
  calendar: Calendar;
  parent?: { id: string; key: string };
}

function minIso(values: (string | null)[]): string | null {
  const xs = values.filter((v): v is string => v !== null).sort();
  return xs[0] ?? null;
}

function rowValues(s: DossierSnapshot, field: string) {
  return {
    status: s.status,
    outcome: s.outcome,
    version: s.version,
    snapshot: s,
    stepUnits: [...new Set(s.active.map((a) => a.unit))],
    stepRoles: [...new Set(s.active.map((a) => a.role).filter((r): r is string => r !== null))],
    receivedAt: s.clock.receivedAt,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    nextTimeoutAt: minIso(s.active.map((a) => a.timeoutAt)),
    field,
  };
}

/** `column::text as "key"` for every dossier column: a row as Drizzle reads it (timestamps as text). */
const COLUMNS = selectList(getTableColumns(dossiers));

// One json column rather than 31: the driver then parses one value (JSON.parse, native)
// instead of describing and converting every column of every row.
const BY_ID: RawQuery = { name: 'motcua_dossier_by_id', text: `select row_to_json(x) as r from (select ${COLUMNS} from dossiers where id = $1) x` };

/** One dossier row by its code, or null (one prepared statement). */
export async function loadDossier(db: Db | Tx, id: string): Promise<DossierRow | null> {
  const [row] = await rawOf(db as Db).query<{ r: DossierRow }>({ ...BY_ID, values: [id] });
  return row?.r ?? null;
}

/** An idempotent request's answer, stored by the statement that makes the change. */
export interface StoredAnswer {
  userId: string;
  key: string;
  requestHash: string;
  status: number;
  body: unknown;
}

/** A transition ready to write: the row it leaves, what to announce after commit, and the one statement. */
export interface PlannedCommit {
  dossierId: string;
  /** The row after the write (for a new dossier, completed from what the insert returns). */
  row: DossierRow;
  isNew: boolean;
  notices: BusMessage[];
  /** The statement, with the answer to store in it if given. */
  build(answer?: StoredAnswer): RawQuery;
  /** The updated row as a read would return its snapshot (a copy parsed from what was written), to remember. */
  stored(): DossierRow;
}

const DAILY_SET = DAILY_COUNTERS.map((k) => `${DAILY_COLUMNS[k]} = stats_daily.${DAILY_COLUMNS[k]} + excluded.${DAILY_COLUMNS[k]}`).join(', ');

const MONTHLY_SET = DAILY_SET.replaceAll('stats_daily.', 'stats_monthly.');

/** What the text of a commit statement depends on: which CTEs it has and how many rows each writes. */
interface CommitShape { isNew: boolean; rescheduled: boolean; events: number; outbox: number; daily: number; monthly: number; steps: number; answer: boolean }

const TEXTS = new Map<string, { text: string; name: string | undefined }>();

/** The statement text of a shape, numbered in the order `planCommit` lists the values; built once per shape. */
function commitText(shape: CommitShape): { text: string; name: string | undefined } {
  const k = `${+shape.isNew}${+shape.rescheduled}${+shape.answer}:${shape.events}:${shape.outbox}:${shape.daily}:${shape.monthly}:${shape.steps}`;
  const hit = TEXTS.get(k);
  if (hit) return hit;
  let n = 0;
  const $ = (cast: string): string => `$${++n}::${cast}`;
  const rows = (count: number, casts: string[]): string =>
    Array.from({ length: count }, () => `(${casts.map($).join(', ')})`).join(', ');
  const assigned: [string, string][] = [
    ['status', $('text')], ['outcome', $('text')], ['version', $('int')], ['snapshot', $('jsonb')], ['step_units', $('text[]')],
    ['step_roles', $('text[]')], ['received_at', $('timestamptz')], ['due_at', $('timestamptz')], ['closed_at', $('timestamptz')],
    ['next_timeout_at', $('timestamptz')], ['field', $('text')], ['last_hash', $('text')], ['updated_at', $('timestamptz')],
  ];
  const ctes: string[] = [];
  if (!shape.isNew) {
    // Holders of steps still active stay (read from the row as it is, so a claim made since
    // the row was read is kept); steps the engine assigns anew get their pools.
    assigned.push(['holders', `(select coalesce(jsonb_object_agg(h.key, h.value), '{}'::jsonb) from jsonb_each(dossiers.holders) h
      where h.key = any(${$('text[]')})) || ${$('jsonb')}`]);
    if (shape.rescheduled) assigned.push(['due_soon_notified_at', 'null'], ['overdue_notified_at', 'null']);
    const set = assigned.map(([c, v]) => `${c} = ${v}`).join(', ');
    ctes.push(`u as (update dossiers set ${set} where id = ${$('text')} and version = ${$('int')} returning id, holders)`);
  } else {
    for (const [c, cast] of [['id', 'text'], ['procedure_id', 'text'], ['procedure_version', 'int'], ['procedure_code', 'text'], ['receiving_unit', 'text'],
      ['competent_unit', 'text'], ['return_unit', 'text'], ['channel', 'text'], ['applicant_name', 'text'], ['applicant_id', 'text'],
      ['submitted_at', 'timestamptz'], ['parent_id', 'text'], ['parent_key', 'text'], ['holders', 'jsonb']] as const) assigned.push([c, $(cast)]);
    ctes.push(`u as (insert into dossiers (${assigned.map(([c]) => c).join(', ')}) values (${assigned.map(([, v]) => v).join(', ')}) returning ${COLUMNS})`);
  }
  if (shape.events) {
    ctes.push(`e as (insert into dossier_events (dossier_id, seq, type, at, actor_id, actor_name, payload, prev_hash, hash, chain)
      select u.id, v.*, ${CHAIN_VERSION} from u, (values ${rows(shape.events, ['int', 'text', 'timestamptz', 'text', 'text', 'jsonb', 'text', 'text'])}) v)`);
  }
  if (shape.outbox) {
    ctes.push(`o as (insert into outbox (event_id, topic, dossier_id, payload) select v.event_id, v.topic, u.id, v.payload
      from u, (values ${rows(shape.outbox, ['text', 'text', 'jsonb'])}) v (event_id, topic, payload))`);
  }
  if (shape.daily) {
    ctes.push(`d as (insert into stats_daily (shard, unit, day, procedure_id, field, ${DAILY_COUNTERS.map((c) => DAILY_COLUMNS[c]).join(', ')})
      select ${STATS_SHARD}, v.* from u, (values ${rows(shape.daily, ['text', 'date', 'text', 'text', ...DAILY_COUNTERS.map(() => 'int')])}) v
      on conflict (unit, day, procedure_id, shard) do update set ${DAILY_SET})`);
  }
  if (shape.monthly) {
    ctes.push(`m as (insert into stats_monthly (shard, unit, month, procedure_id, field, ${DAILY_COUNTERS.map((c) => DAILY_COLUMNS[c]).join(', ')})
      select ${STATS_SHARD}, v.* from u, (values ${rows(shape.monthly, ['text', 'date', 'text', 'text', ...DAILY_COUNTERS.map(() => 'int')])}) v
      on conflict (unit, month, procedure_id, shard) do update set ${MONTHLY_SET})`);
  }
  if (shape.steps) {
    ctes.push(`st as (insert into stats_steps (shard, unit, day, procedure_id, step, count, total_minutes, late_count)
      select ${STATS_SHARD}, v.* from u, (values ${rows(shape.steps, ['text', 'date', 'text', 'text', 'int', 'float8', 'int'])}) v
      on conflict (unit, day, procedure_id, step, shard) do update set count = stats_steps.count + excluded.count,
        total_minutes = stats_steps.total_minutes + excluded.total_minutes, late_count = stats_steps.late_count + excluded.late_count)`);
  }
  if (shape.answer) {
    // No "on conflict": a key stored meanwhile by a concurrent retry fails the whole statement.
    ctes.push(`k as (insert into idempotency_keys (user_id, key, request_hash, status, body)
      select ${$('text')}, ${$('text')}, ${$('text')}, ${$('int')}, ${$('jsonb')} from u)`);
  }
  const text = `with ${ctes.join(',\n')}\nselect ${shape.isNew ? 'u.*' : 'u.id, u.holders'} from u`;
  const out = { text, name: statementName('motcua_commit', text) };
  if (TEXTS.size < 500) TEXTS.set(k, out);
  return out;
}

/**
 * Plans one engine transition as a single SQL statement: the dossier row (inserted, or
 * updated with an optimistic version check), the hash-chained events, the outbox rows for
 * sync, the statistics rollups and, when given, the idempotent answer — every insert reads
 * from the dossier's CTE, so a lost version race writes nothing. One statement is atomic on
 * its own and costs one round trip; inside a transaction it is one statement among others.
 */
export function planCommit(args: CommitArgs): PlannedCommit {
  const { transition, before, proc } = args;
  const s = transition.snapshot;
  let prev = before?.lastHash ?? GENESIS_HASH;
  const chained = transition.events.map((e) => {
    // Every column the history shows is hashed, as written below (chain.ts).
    const hash = hashEvent(prev, { dossierId: s.dossierId, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name, payload: e });
    const link = { prevHash: prev, hash };
    prev = hash;
    return { e, ...link };
  });
  // A new appointment (extension, resumed clock) deserves its own due-soon and overdue notices.
  // (Compared on the snapshots: the row's column reads back in PostgreSQL's text format.)
  const rescheduled = before !== null && (before.snapshot as DossierSnapshot).clock.dueAt !== s.clock.dueAt;
  const values = {
    ...rowValues(s, args.field), ...(rescheduled ? { dueSoonNotifiedAt: null, overdueNotifiedAt: null } : {}),
    lastHash: prev, updatedAt: transition.events.at(-1)?.at ?? s.clock.submittedAt,
  };
  const { external, assigns } = planEffects(transition.effects);
  const activeSteps = s.active.map((a) => a.step);
  const pools: Record<string, Holder> = Object.fromEntries(assigns.filter((a) => activeSteps.includes(a.step))
    .map((a) => [a.step, { role: a.role, unit: a.unit, id: null, name: null, at: null, by: null }]));
  const kept = Object.entries((before?.holders ?? {}) as Record<string, Holder>).filter(([step]) => activeSteps.includes(step));
  const holders: Record<string, Holder> = { ...Object.fromEntries(kept), ...pools };
  const rollups = rollupsFor({ before: (before?.snapshot as DossierSnapshot | undefined) ?? null, after: s, events: transition.events, field: args.field, calendar: args.calendar });

  const outbox = [
    ...chained.map(({ e }, i) => [`${s.dossierId}#${e.seq}`, 'dossier.progress', portalPayload(s, e, proc, {
      before: (before?.snapshot as DossierSnapshot | undefined) ?? null, effects: transition.effects, last: i === chained.length - 1,
    })] as const),
    ...external.map((f, i) => [`${s.dossierId}#${s.version}.${i}`, `dossier.${f.type}`, { dossierCode: s.dossierId, applicant: s.applicant, effect: f }] as const),
  ];
  const snapshotJson = JSON.stringify(s);
  // Parameters in the order commitText numbers them.
  const params: unknown[] = [
    values.status, values.outcome, values.version, snapshotJson, values.stepUnits, values.stepRoles, values.receivedAt, values.dueAt,
    values.closedAt, values.nextTimeoutAt, values.field, values.lastHash, values.updatedAt,
  ];
  if (before) params.push(activeSteps, JSON.stringify(pools), before.id, before.version);
  else {
    params.push(s.dossierId, s.procedure.id, s.procedure.version, s.procedure.code, s.routing.receiving, s.routing.competent, s.routing.returnUnit,
      s.channel, s.applicant.name, s.applicant.id ?? null, s.clock.submittedAt, args.parent?.id ?? null, args.parent?.key ?? null, JSON.stringify(holders));
  }
  for (const { e, prevHash, hash } of chained) params.push(e.seq, e.type, e.at, e.actor.id, e.actor.name, JSON.stringify(e), prevHash, hash);
  for (const [eventId, topic, payload] of outbox) params.push(eventId, topic, JSON.stringify(payload));
  for (const { key, counts } of rollups.daily) {
    params.push(key.unit, key.day, key.procedureId, key.field);
    for (const k of DAILY_COUNTERS) params.push(counts[k] ?? 0);
  }
  const monthly = perMonth(rollups.daily);
  for (const { key, counts } of monthly) {
    params.push(key.unit, key.day, key.procedureId, key.field);
    for (const k of DAILY_COUNTERS) params.push(counts[k] ?? 0);
  }
  for (const b of rollups.steps) params.push(b.unit, b.day, b.procedureId, b.step, b.count, b.totalMinutes, b.lateCount);
  const shape: CommitShape = {
    isNew: !before, rescheduled, events: chained.length, outbox: outbox.length, daily: rollups.daily.length, monthly: monthly.length, steps: rollups.steps.length, answer: false,
  };

  const build = (answer?: StoredAnswer): RawQuery => {
    const { text, name } = commitText(answer ? { ...shape, answer: true } : shape);
    const all = answer ? [...params, answer.userId, answer.key, answer.requestHash, answer.status, JSON.stringify(answer.body)] : params;
    return { ...(name ? { name } : {}), text, values: all };
  };

  const row = before ? { ...before, ...values, holders } : null;
  const last = transition.events.at(-1);
  const notices: BusMessage[] = [changedNotice(
    { id: s.dossierId, version: s.version, status: s.status, snapshot: s, holders },
    last?.type === 'action.applied' ? { step: last.step, action: last.action } : null,
  )];
  if (!before || (before.snapshot as DossierSnapshot).clock.receivedAt !== s.clock.receivedAt || s.closedAt) {
    notices.push({ type: 'stats.changed', units: [s.routing.competent] });
  }
  return {
    dossierId: s.dossierId, row: row as DossierRow, isNew: !before, notices, build,
    stored: () => ({ ...(row as DossierRow), snapshot: JSON.parse(snapshotJson) as unknown }),
  };
}

/** Runs a planned commit through `raw`; 409 when someone else changed the dossier first. Returns the row written. */
export async function runCommit(raw: Raw, plan: PlannedCommit, answer?: StoredAnswer): Promise<DossierRow> {
  const written = await raw.query<DossierRow>(plan.build(answer));
  const first = written[0];
  if (!first) {
    const [current] = await raw.query<{ version: number }>({ name: 'motcua_dossier_version', text: 'select version from dossiers where id = $1', values: [plan.dossierId] });
    throw new HttpError(409, 'DOSSIER_VERSION_CONFLICT', {
      vi: 'Hồ sơ vừa được người khác cập nhật; thao tác của bạn không được ghi. Hãy tải lại và thử lại',
      en: 'Someone else has just updated the dossier; your action was not saved. Reload and try again',
    }, undefined, { currentVersion: current?.version ?? null });
  }
  // An update returns only the id: the new row is what was just written, and reading the
  // snapshot back from jsonb would cost as much as writing it.
  if (plan.isNew) return first;
  // The holders as the statement left them (a claim may have landed since the row was read).
  plan.row.holders = first.holders;
  return plan.row;
}

/**
 * Writes one engine transition in the caller's transaction: the dossier row (with an
 * optimistic version check), hash-chained events, outbox rows for sync, and the
 * statistics rollups — one statement. Returns what to announce once the transaction has committed.
 */
export async function commitTransition(tx: Tx, args: CommitArgs): Promise<{ row: DossierRow; notices: BusMessage[] }> {
  const plan = planCommit(args);
  const row = await runCommit(rawOf(tx as unknown as Db), plan);
  return { row, notices: plan.notices };
}

/** The codes of the linked dossiers a dossier spawned, by the key of the hand-off step. */
export async function childCodes(db: Db, parentId: string): Promise<Map<string | null, string>> {
  const rows = await db.select({ id: dossiers.id, key: dossiers.parentKey }).from(dossiers).where(eq(dossiers.parentId, parentId));
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** The linked dossiers a dossier spawned, oldest first: where each went and under which hand-off. */
export async function childrenOf(db: Db, parentId: string): Promise<{ id: string; key: string | null; unit: string; procedureId: string; version: number }[]> {
  return db.select({ id: dossiers.id, key: dossiers.parentKey, unit: dossiers.competentUnit, procedureId: dossiers.procedureId, version: dossiers.procedureVersion })
    .from(dossiers).where(eq(dossiers.parentId, parentId)).orderBy(asc(dossiers.submittedAt), asc(dossiers.id));
}

/** The open linked dossiers a dossier spawned. */
export async function openChildren(db: Db | Tx, parentId: string): Promise<DossierRow[]> {
  return (db as Db).select().from(dossiers).where(and(eq(dossiers.parentId, parentId), isNull(dossiers.closedAt)));
}

/** The history of a dossier, oldest first. */
export async function history(db: Db, id: string) {
  return db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id)).orderBy(asc(dossierEvents.seq));
}

/** A dossier's latest event, or undefined before its first. */
export async function lastEvent(db: Db, id: string) {
  const [e] = await db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, id)).orderBy(desc(dossierEvents.seq)).limit(1);
  return e;
}

/** Takes the next running number of a unit's dossiers on a local day, atomically (concurrent intakes never share one). */
export async function takeDossierNumber(tx: Tx, unit: string, day: string): Promise<number> {
  const [row] = await tx.insert(dossierCounters).values({ unit, day, last: 1 })
    .onConflictDoUpdate({ target: [dossierCounters.unit, dossierCounters.day], set: { last: sql`${dossierCounters.last} + 1` } })
    .returning({ last: dossierCounters.last });
  return row?.last ?? 1;
}

/**
 * The same, as a statement of its own on `pool` (outside any intake's transaction): the
 * counter row is locked for this statement only. It commits without waiting for its WAL
 * flush (synchronous_commit off for this one statement): the intake that uses the number
 * commits later with a flush, which makes this earlier commit durable too; a number lost in a
 * crash belonged to an intake that was not committed, so no code is ever given twice.
 */
export async function takeDossierNumberOutside(pool: pg.Pool, unit: string, day: string): Promise<number> {
  const r = await pool.query<{ last: number }>({
    name: 'motcua_dossier_number',
    text: `with quick as (select set_config('synchronous_commit', 'off', true))
      insert into dossier_counters (unit, day, last) select $1, $2, 1 from quick
      on conflict (unit, day) do update set last = dossier_counters.last + 1 returning last`,
    values: [unit, day],
  });
  return r.rows[0]?.last ?? 1;
}

/** Sets a dossier's first rating; null when it was rated already (two ratings at once: only one counts). */
export async function setRatingOnce(tx: Tx, id: string, score: number, comment: string | null): Promise<DossierRow | null> {
  const [row] = await tx.update(dossiers).set({ rating: score, ratingComment: comment })
    .where(and(eq(dossiers.id, id), isNull(dossiers.rating))).returning();
  return row ?? null;
}

// ---- Idempotent answers (see ./idempotency.ts)

export const IDEMPOTENCY_KEY_CONSTRAINT = 'idempotency_keys_user_id_key_pk';

/** The answer stored for (user, key), if any. */
export async function storedAnswer(raw: Raw, userId: string, key: string): Promise<{ requestHash: string; status: number; body: unknown } | null> {
  const [row] = await raw.query<{ requestHash: string; status: number; body: unknown }>({
    name: 'motcua_idempotency_key', text: 'select request_hash as "requestHash", status, body from idempotency_keys where user_id = $1 and key = $2', values: [userId, key],
  });
  return row ?? null;
}

/** Stores an answer in the caller's transaction; false when the key was stored meanwhile. */
export async function storeAnswer(tx: Tx, a: StoredAnswer): Promise<boolean> {
  const inserted = await rawOf(tx as unknown as Db).query<{ key: string }>({
    name: 'motcua_idempotency_store',
    text: 'insert into idempotency_keys (user_id, key, request_hash, status, body) values ($1, $2, $3, $4, $5::jsonb) on conflict do nothing returning key',
    values: [a.userId, a.key, a.requestHash, a.status, JSON.stringify(a.body)],
  });
  return inserted.length > 0;
}

// ---- Who sees what, as SQL (the row form of the same rule: ./visibility.ts)

/** A bound text[] literal (each element a parameter). */
function textArray(values: string[]): SQL {
  return values.length ? sql`ARRAY[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]` : sql`'{}'::text[]`;
}

/** The SQL form of "an active step waits for the lens's role at one of its units" (the GIN index on step_units first). */
function stepClause(lens: Lens): SQL {
  const units = textArray(lens.units);
  return sql`(${dossiers.stepUnits} && ${units} and exists (select 1 from jsonb_array_elements(${dossiers.snapshot}->'active') as a
    where a->>'role' = ${lens.role} and a->>'unit' = any(${units})))`;
}

/** The SQL form of `lensSees`. */
function lensClause(lens: Lens): SQL {
  const units = textArray(lens.units);
  const open = [stepClause(lens)];
  if (lens.role === DESK_ROLE) open.push(sql`${dossiers.receivingUnit} = any(${units})`, sql`${dossiers.returnUnit} = any(${units})`);
  const where = sql`(${dossiers.competentUnit} = any(${units}) or (${dossiers.closedAt} is null and (${sql.join(open, sql` or `)})))`;
  return lens.procedures === null ? where : sql`(${dossiers.procedureId} = any(${textArray(lens.procedures)}) and ${where})`;
}

/** The SQL form of `sees` (./visibility.ts): false when there is no lens. */
export function visibleWhere(lenses: Lens[]): SQL {
  if (lenses.length === 0) return sql`false`;
  return sql`(${sql.join(lenses.map(lensClause), sql` or `)})`;
}

/** Every dossier id a user's lenses see (the test that the two forms of the rule agree). */
export async function visibleIds(db: Db, lenses: Lens[]): Promise<string[]> {
  return (await db.select({ id: dossiers.id }).from(dossiers).where(visibleWhere(lenses))).map((r) => r.id);
}

// ---- Inbox lists

export type Box = 'mine' | 'unit' | 'due-soon' | 'overdue' | 'waiting' | 'closed' | 'all';

export interface InboxFilter {
  lenses: Lens[];
  box: Box;
  now: string;
  /** The end of the due-soon horizon (box `due-soon`). */
  soon: string;
  /** Only dossiers with a step this user holds. */
  heldBy?: string | undefined;
  procedureId?: string | undefined;
  channel?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

/**
 * One page of an inbox list and the count of the whole list, through the open-dossier
 * indexes (never a scan of all dossiers): "mine" = open at a step of a lens's role at its
 * units; the other open boxes = open with a step at the lenses' units.
 */
export async function inboxPage(db: Db, f: InboxFilter): Promise<{ total: number; rows: InboxRow[] }> {
  const { lenses, box } = f;
  const units = [...new Set(lenses.flatMap((l) => l.units))];
  const conditions: SQL[] = [visibleWhere(lenses)];
  if (box === 'closed') conditions.push(isNotNull(dossiers.closedAt));
  else if (box === 'mine') conditions.push(isNull(dossiers.closedAt), sql`(${sql.join(lenses.map(stepClause), sql` or `)})`);
  else if (box !== 'all') conditions.push(isNull(dossiers.closedAt), sql`${dossiers.stepUnits} && ${textArray(units)}`);
  if (box === 'overdue') conditions.push(lt(dossiers.dueAt, f.now));
  if (box === 'due-soon') conditions.push(lt(dossiers.dueAt, f.soon), sql`${dossiers.dueAt} >= ${f.now}`);
  if (box === 'waiting') conditions.push(eq(dossiers.status, 'waiting-citizen'));
  if (f.heldBy) conditions.push(isNull(dossiers.closedAt), sql`exists (select 1 from jsonb_each(${dossiers.holders}) h where h.value->>'id' = ${f.heldBy})`);
  if (f.procedureId) conditions.push(eq(dossiers.procedureId, f.procedureId));
  if (f.channel) conditions.push(eq(dossiers.channel, f.channel));
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(dossiers.id, like), ilike(dossiers.applicantName, like)) as SQL);
  }
  const where = and(...conditions);
  const order = [box === 'closed' ? desc(dossiers.closedAt) : sql`${dossiers.dueAt} asc nulls last`, asc(dossiers.id)];
  // One statement: the page's ids and the list's count (a window over the narrow rows), then
  // only what an inbox line shows of those few — not every dossier's whole snapshot.
  const page = db.select({ id: dossiers.id, total: sql<number>`count(*) over ()`.as('total') }).from(dossiers).where(where)
    .orderBy(...order).limit(f.pageSize).offset((f.page - 1) * f.pageSize).as('page');
  const rows = await db.select({ ...INBOX_COLUMNS, total: page.total }).from(page).innerJoin(dossiers, eq(dossiers.id, page.id)).orderBy(...order);
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && f.page > 1) {
    // Past the end: the window has no row to tell the count on.
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(dossiers).where(where);
    total = count?.n ?? 0;
  }
  return { total, rows: rows.map(({ total: _t, ...r }) => r) };
}

/** What an inbox line reads of a dossier (./projections.ts `inboxItem`). */
export type InboxRow = Pick<DossierRow, 'id' | 'procedureId' | 'procedureVersion' | 'procedureCode' | 'field' | 'applicantName' | 'status' | 'outcome'
  | 'channel' | 'dueAt' | 'receivedAt' | 'closedAt' | 'holders' | 'version' | 'snapshot'>;

const INBOX_COLUMNS = {
  id: dossiers.id, procedureId: dossiers.procedureId, procedureVersion: dossiers.procedureVersion, procedureCode: dossiers.procedureCode,
  field: dossiers.field, applicantName: dossiers.applicantName, status: dossiers.status, outcome: dossiers.outcome, channel: dossiers.channel,
  dueAt: dossiers.dueAt, receivedAt: dossiers.receivedAt, closedAt: dossiers.closedAt, holders: dossiers.holders, version: dossiers.version,
  // The parts of the snapshot a line shows (its steps, its clock for the progress): a few hundred bytes, not the form's data.
  snapshot: sql<unknown>`jsonb_build_object('active', ${dossiers.snapshot}->'active', 'clock', ${dossiers.snapshot}->'clock', 'closedAt', ${dossiers.snapshot}->'closedAt')`,
};

/**
 * Gives an active step of an open dossier to a holder (never bumps the version: holding is
 * not an engine transition). With `onlyIfFreeFor`, only while nobody else holds it (a claim
 * racing another claim: one wins). Null when the dossier is closed, the step no longer
 * active, or someone else holds it.
 */
export async function holdStep(db: Db, id: string, step: string, holder: Holder, onlyIfFreeFor: string | null): Promise<DossierRow | null> {
  const conditions = [
    eq(dossiers.id, id), isNull(dossiers.closedAt),
    sql`${dossiers.snapshot}->'active' @> jsonb_build_array(jsonb_build_object('step', ${step}::text))`,
  ];
  if (onlyIfFreeFor !== null) conditions.push(sql`coalesce(${dossiers.holders}->${step}::text->>'id', ${onlyIfFreeFor}::text) = ${onlyIfFreeFor}::text`);
  const [row] = await db.update(dossiers).set({ holders: sql`${dossiers.holders} || jsonb_build_object(${step}::text, ${JSON.stringify(holder)}::jsonb)` })
    .where(and(...conditions)).returning();
  return row ?? null;
}

// ---- Counts other features ask for (through ./service.ts)

/** Open dossiers of a procedure by the version they keep to the end. */
export async function openByVersion(db: Db, procedureId: string): Promise<Map<number, number>> {
  const open = await db.select({ version: dossiers.procedureVersion, n: count() }).from(dossiers)
    .where(and(eq(dossiers.procedureId, procedureId), isNull(dossiers.closedAt))).groupBy(dossiers.procedureVersion);
  return new Map(open.map((o) => [o.version, Number(o.n)]));
}

/** Dossiers a unit received, decides or returns (open or closed). */
export async function countAtUnit(db: Db, unit: string): Promise<number> {
  const [files] = await db.select({ n: sql<number>`count(*)::int` }).from(dossiers)
    .where(or(eq(dossiers.receivingUnit, unit), eq(dossiers.competentUnit, unit), eq(dossiers.returnUnit, unit)));
  return Number(files?.n ?? 0);
}

// ---- The sweeper's statements (sweeper/sweeper.ts): timers are data on the row

/** Locks the next open dossier whose step timeout has passed (skipping those locked by another sweeper, and `skip`); its id or null. */
export async function claimDueTimeout(tx: Tx, now: string, skip: string[]): Promise<string | null> {
  const [row] = await tx.select({ id: dossiers.id }).from(dossiers).where(and(
    lte(dossiers.nextTimeoutAt, now), isNull(dossiers.closedAt),
    skip.length ? not(inArray(dossiers.id, skip)) : undefined,
  )).orderBy(asc(dossiers.nextTimeoutAt), asc(dossiers.id)).limit(1).for('update', { skipLocked: true });
  return row?.id ?? null;
}

/** Points `next_timeout_at` at the given instant (null: no timeout ahead). */
export async function setNextTimeout(tx: Tx, id: string, at: string | null): Promise<void> {
  await tx.update(dossiers).set({ nextTimeoutAt: at }).where(eq(dossiers.id, id));
}

/** Moves a timeout that could not be raised to `until`, unless an action has moved it since. */
export async function postponeTimeout(db: Db, id: string, until: string, now: string): Promise<void> {
  await db.update(dossiers).set({ nextTimeoutAt: until }).where(and(eq(dossiers.id, id), lte(dossiers.nextTimeoutAt, now)));
}

/** An outbox row as written. */
export type OutboxInsert = typeof outbox.$inferInsert;

/** What the deadline marks read of a dossier. */
export type DeadlineCandidate = Pick<DossierRow, 'id' | 'procedureId' | 'procedureCode' | 'competentUnit' | 'receivingUnit' | 'returnUnit' | 'applicantName' | 'dueAt' | 'snapshot'>;

const candidateColumns = {
  id: dossiers.id, procedureId: dossiers.procedureId, procedureCode: dossiers.procedureCode,
  competentUnit: dossiers.competentUnit, receivingUnit: dossiers.receivingUnit, returnUnit: dossiers.returnUnit,
  applicantName: dossiers.applicantName, dueAt: dossiers.dueAt, snapshot: dossiers.snapshot,
};

/**
 * Which open dossiers a deadline mark is due for. Overdue: past the appointment, not marked
 * since it was set (a mark set before the current appointment belongs to an earlier one).
 * Due soon: due before the horizon, not marked, or late then given a new appointment (form
 * 04); limited to some competent units, or to every unit but some.
 */
export type DeadlineQuery =
  | { mark: 'overdue'; now: string }
  | { mark: 'dueSoon'; now: string; horizon: string; units?: { in: string[] } | { notIn: string[] } };

function deadlineWhere(q: DeadlineQuery): SQL {
  if (q.mark === 'overdue') {
    return and(isNull(dossiers.closedAt), lt(dossiers.dueAt, q.now),
      or(isNull(dossiers.overdueNotifiedAt), lt(dossiers.overdueNotifiedAt, dossiers.dueAt)))!;
  }
  const open = and(
    isNull(dossiers.closedAt), gte(dossiers.dueAt, q.now), lte(dossiers.dueAt, q.horizon),
    or(
      isNull(dossiers.dueSoonNotifiedAt),
      and(lt(dossiers.overdueNotifiedAt, dossiers.dueAt), lte(dossiers.dueSoonNotifiedAt, dossiers.overdueNotifiedAt)),
    ),
  )!;
  if (!q.units) return open;
  if ('in' in q.units) return and(open, inArray(dossiers.competentUnit, q.units.in))!;
  return q.units.notIn.length ? and(open, not(inArray(dossiers.competentUnit, q.units.notIn)))! : open;
}

/**
 * Claims one batch of dossiers a deadline mark is due for (`FOR UPDATE SKIP LOCKED`), sets
 * the mark and writes one outbox row each (`event`), in the caller's transaction; returns
 * how many were marked.
 */
export async function markDeadlineBatch(
  tx: Tx, q: DeadlineQuery, batchSize: number, at: string,
  event: (d: DeadlineCandidate) => Promise<OutboxInsert>,
): Promise<number> {
  const batch = await tx.select(candidateColumns).from(dossiers).where(deadlineWhere(q))
    .orderBy(asc(dossiers.dueAt), asc(dossiers.id)).limit(batchSize).for('update', { skipLocked: true });
  if (batch.length === 0) return 0;
  const set = q.mark === 'dueSoon' ? { dueSoonNotifiedAt: at } : { overdueNotifiedAt: at };
  await tx.update(dossiers).set(set).where(inArray(dossiers.id, batch.map((d) => d.id)));
  const rows = [];
  for (const d of batch) rows.push(await event(d));
  await tx.insert(outbox).values(rows).onConflictDoNothing({ target: outbox.eventId });
  return batch.length;
}

// ---- Migration of open dossiers to another version of their procedure (catalog/migrations.ts)

/** An open dossier on one version of a procedure, as a migration reads it. */
export type MigrationCandidate = Pick<DossierRow, 'id' | 'version' | 'snapshot' | 'receivingUnit' | 'applicantName' | 'lastHash' | 'holders'>;

/** Ids of the open dossiers of a procedure on a version, in id order. */
export async function openIdsOnVersion(db: Db, procedureId: string, version: number): Promise<string[]> {
  const rows = await db.select({ id: dossiers.id }).from(dossiers)
    .where(and(eq(dossiers.procedureId, procedureId), eq(dossiers.procedureVersion, version), isNull(dossiers.closedAt)))
    .orderBy(asc(dossiers.id));
  return rows.map((r) => r.id);
}

const migrationColumns = {
  id: dossiers.id, version: dossiers.version, snapshot: dossiers.snapshot, receivingUnit: dossiers.receivingUnit,
  applicantName: dossiers.applicantName, lastHash: dossiers.lastHash, holders: dossiers.holders,
};

/** Some open dossiers of a procedure on a version; locked for the transaction when `tx` is one that writes. */
export async function migrationCandidates(db: Db | Tx, procedureId: string, version: number, ids: string[], lock: boolean): Promise<MigrationCandidate[]> {
  if (ids.length === 0) return [];
  const q = (db as Db).select(migrationColumns).from(dossiers)
    .where(and(eq(dossiers.procedureId, procedureId), eq(dossiers.procedureVersion, version), isNull(dossiers.closedAt), inArray(dossiers.id, ids)))
    .orderBy(asc(dossiers.id));
  return lock ? q.for('update') : q;
}

/** One dossier moved: its new snapshot and the history event that records the move. */
export interface MigratedDossier {
  before: MigrationCandidate;
  snapshot: DossierSnapshot;
  event: MigratedEvent;
  holders: Record<string, Holder>;
}

/**
 * Writes a batch of moved dossiers in three statements: their history events (each chained to
 * the dossier's head) in one insert, the outbox rows an action writes for its events (webhooks
 * and the national portal hear of the new step; the live relay announces from them too, see
 * ../realtime/announcements.ts) in another, their rows in one update with an optimistic
 * version check. Returns the ids updated; the caller rolls back when one is missing.
 */
export async function writeMigrated(tx: Tx, batch: MigratedDossier[], proc: CompiledProcedure): Promise<string[]> {
  if (batch.length === 0) return [];
  const rows = batch.map((m) => {
    const s = m.snapshot;
    const e = m.event;
    const prev = m.before.lastHash;
    const hash = hashEvent(prev, { dossierId: s.dossierId, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name, payload: e });
    return { m, s, e, prev, hash };
  });
  await tx.insert(dossierEvents).values(rows.map(({ s, e, prev, hash }) => ({
    dossierId: s.dossierId, seq: e.seq, type: e.type, at: e.at, actorId: e.actor.id, actorName: e.actor.name,
    payload: e, prevHash: prev, hash, chain: CHAIN_VERSION,
  })));
  await tx.insert(outbox).values(rows.map(({ m, s, e }) => ({
    eventId: `${s.dossierId}#${e.seq}`, topic: 'dossier.progress', dossierId: s.dossierId,
    payload: portalPayload(s, e, proc, { before: m.before.snapshot as DossierSnapshot, effects: [], last: true }),
  })));
  const values = sql.join(rows.map(({ m, s, e, hash }) => sql`(${s.dossierId}::text, ${m.before.version}::int, ${s.version}::int, ${s.procedure.version}::int,
    ${JSON.stringify(s)}::jsonb, ${JSON.stringify([...new Set(s.active.map((a) => a.unit))])}::jsonb,
    ${JSON.stringify([...new Set(s.active.map((a) => a.role).filter((r): r is string => r !== null))])}::jsonb,
    ${minIso(s.active.map((a) => a.timeoutAt))}::timestamptz, ${JSON.stringify(m.holders)}::jsonb, ${hash}::text, ${e.at}::timestamptz)`), sql`, `);
  const updated = await tx.execute<{ id: string }>(sql`update dossiers d set version = v.next, procedure_version = v.pv, snapshot = v.snapshot,
      step_units = array(select jsonb_array_elements_text(v.units)), step_roles = array(select jsonb_array_elements_text(v.roles)), next_timeout_at = v.timeout, holders = v.holders, last_hash = v.hash, updated_at = v.at
    from (values ${values}) as v (id, expected, next, pv, snapshot, units, roles, timeout, holders, hash, at)
    where d.id = v.id and d.version = v.expected and d.closed_at is null returning d.id`);
  return (updated as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}

/** Writes a document's row in the caller's transaction. */
export async function insertDocument(tx: Tx, values: NewDocRow): Promise<DocRow> {
  const [inserted] = await tx.insert(documents).values(values).returning();
  if (!inserted) throw new Error('document row not written');
  return inserted;
}

/** A dossier's documents with their uploader's name, oldest first. */
export function documentsOf(db: Db | Tx, dossierId: string): Promise<{ doc: DocRow; uploader: string | null }[]> {
  return db.select({ doc: documents, uploader: users.name }).from(documents)
    .leftJoin(users, eq(users.id, documents.uploadedBy))
    .where(eq(documents.dossierId, dossierId)).orderBy(asc(documents.createdAt), asc(documents.id));
}

/** One document of a dossier (undefined when the id names another dossier's document). */
export async function documentOfDossier(db: Db | Tx, dossierId: string, docId: string): Promise<DocRow | undefined> {
  const [doc] = await db.select().from(documents).where(and(eq(documents.id, docId), eq(documents.dossierId, dossierId)));
  return doc;
}
