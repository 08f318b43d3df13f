import { getTableColumns } from 'drizzle-orm';
import type { Calendar, CompiledProcedure, DossierSnapshot, Transition } from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import { dossiers } from '../db/schema';
import { rawOf, statementName, type Raw, type RawQuery } from '../db/raw';
import { HttpError } from '../http/errors';
import { DAILY_COLUMNS, DAILY_COUNTERS, perMonth, rollupsFor } from '../stats/rollup';
import type { BusMessage } from '../bus';
import { CHAIN_VERSION, GENESIS_HASH, hashEvent } from './chain';
import { portalPayload } from '../outbox/portal';
import { audienceOf } from './visibility';

export type DossierRow = typeof dossiers.$inferSelect;

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
const COLUMNS = Object.entries(getTableColumns(dossiers))
  .map(([key, c]) => `${c.name}${c.columnType === 'PgTimestampString' ? '::text' : ''} as "${key}"`).join(', ');

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
    if (shape.rescheduled) assigned.push(['due_soon_notified_at', 'null'], ['overdue_notified_at', 'null']);
    const set = assigned.map(([c, v]) => `${c} = ${v}`).join(', ');
    ctes.push(`u as (update dossiers set ${set} where id = ${$('text')} and version = ${$('int')} returning id)`);
  } else {
    for (const [c, cast] of [['id', 'text'], ['procedure_id', 'text'], ['procedure_version', 'int'], ['procedure_code', 'text'], ['receiving_unit', 'text'],
      ['competent_unit', 'text'], ['return_unit', 'text'], ['channel', 'text'], ['applicant_name', 'text'], ['applicant_id', 'text'],
      ['submitted_at', 'timestamptz'], ['parent_id', 'text'], ['parent_key', 'text']] as const) assigned.push([c, $(cast)]);
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
    ctes.push(`d as (insert into stats_daily (unit, day, procedure_id, field, ${DAILY_COUNTERS.map((c) => DAILY_COLUMNS[c]).join(', ')})
      select v.* from u, (values ${rows(shape.daily, ['text', 'date', 'text', 'text', ...DAILY_COUNTERS.map(() => 'int')])}) v
      on conflict (unit, day, procedure_id) do update set ${DAILY_SET})`);
  }
  if (shape.monthly) {
    ctes.push(`m as (insert into stats_monthly (unit, month, procedure_id, field, ${DAILY_COUNTERS.map((c) => DAILY_COLUMNS[c]).join(', ')})
      select v.* from u, (values ${rows(shape.monthly, ['text', 'date', 'text', 'text', ...DAILY_COUNTERS.map(() => 'int')])}) v
      on conflict (unit, month, procedure_id) do update set ${MONTHLY_SET})`);
  }
  if (shape.steps) {
    ctes.push(`st as (insert into stats_steps (unit, day, procedure_id, step, count, total_minutes, late_count)
      select v.* from u, (values ${rows(shape.steps, ['text', 'date', 'text', 'text', 'int', 'float8', 'int'])}) v
      on conflict (unit, day, procedure_id, step) do update set count = stats_steps.count + excluded.count,
        total_minutes = stats_steps.total_minutes + excluded.total_minutes, late_count = stats_steps.late_count + excluded.late_count)`);
  }
  if (shape.answer) {
    // No "on conflict": a key stored meanwhile by a concurrent retry fails the whole statement.
    ctes.push(`k as (insert into idempotency_keys (user_id, key, request_hash, status, body)
      select ${$('text')}, ${$('text')}, ${$('text')}, ${$('int')}, ${$('jsonb')} from u)`);
  }
  const text = `with ${ctes.join(',\n')}\nselect ${shape.isNew ? 'u.*' : 'u.id'} from u`;
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
  const external = transition.effects.filter((f) => f.type === 'notify' || f.type === 'returnResult' || f.type === 'requestPayment' || f.type === 'issueSlip');
  const rollups = rollupsFor({ before: (before?.snapshot as DossierSnapshot | undefined) ?? null, after: s, events: transition.events, field: args.field, calendar: args.calendar });

  const outbox = [
    ...chained.map(({ e }) => [`${s.dossierId}#${e.seq}`, 'dossier.progress', portalPayload(s, e, proc)] as const),
    ...external.map((f, i) => [`${s.dossierId}#${s.version}.${i}`, `dossier.${f.type}`, { dossierCode: s.dossierId, applicant: s.applicant, effect: f }] as const),
  ];
  const snapshotJson = JSON.stringify(s);
  // Parameters in the order commitText numbers them.
  const params: unknown[] = [
    values.status, values.outcome, values.version, snapshotJson, values.stepUnits, values.stepRoles, values.receivedAt, values.dueAt,
    values.closedAt, values.nextTimeoutAt, values.field, values.lastHash, values.updatedAt,
  ];
  if (before) params.push(before.id, before.version);
  else {
    params.push(s.dossierId, s.procedure.id, s.procedure.version, s.procedure.code, s.routing.receiving, s.routing.competent, s.routing.returnUnit,
      s.channel, s.applicant.name, s.applicant.id ?? null, s.clock.submittedAt, args.parent?.id ?? null, args.parent?.key ?? null);
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

  const row = before ? { ...before, ...values } : null;
  const last = transition.events.at(-1);
  const notices: BusMessage[] = [{
    type: 'dossier.changed', dossierId: s.dossierId, version: s.version, status: s.status,
    units: [...new Set([s.routing.receiving, s.routing.competent, s.routing.returnUnit, ...s.active.map((a) => a.unit)])],
    assignees: s.active.map((a) => a.assignee).filter((x): x is string => x !== null),
    step: last?.type === 'action.applied' ? last.step : null,
    action: last?.type === 'action.applied' ? last.action : null,
    audience: audienceOf(s),
  }];
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
  if (written.length === 0) {
    const [current] = await raw.query<{ version: number }>({ name: 'motcua_dossier_version', text: 'select version from dossiers where id = $1', values: [plan.dossierId] });
    throw new HttpError(409, 'DOSSIER_VERSION_CONFLICT', {
      vi: 'Hồ sơ vừa được người khác cập nhật; thao tác của bạn không được ghi. Hãy tải lại và thử lại',
      en: 'Someone else has just updated the dossier; your action was not saved. Reload and try again',
    }, undefined, { currentVersion: current?.version ?? null });
  }
  // An update returns only the id: the new row is what was just written, and reading the
  // snapshot back from jsonb would cost as much as writing it.
  return plan.isNew ? (written[0] as DossierRow) : plan.row;
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
