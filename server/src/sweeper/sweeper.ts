/**
 * The sweeper: timers are data (docs/domain.md, "Deadlines"). Due dates and step timeouts are stored on the
 * dossier row; this raises what they imply, in batches claimed with `FOR UPDATE SKIP LOCKED`
 * so several server processes can sweep side by side:
 *
 * 1. step timeouts — for each active step whose `timeoutAt` has passed, the step's
 *    `timeout.action` is applied by the system through the engine (one transaction per
 *    dossier; live notices announced after commit);
 * 2. overdue — open dossiers past their appointment get `overdueNotifiedAt` and an outbox
 *    row `dossier.overdue` recording the duty to issue the apology and new appointment
 *    slip (form 04);
 * 3. due soon — open dossiers whose appointment is within one working day (the competent
 *    unit's calendar) get `dueSoonNotifiedAt` and an outbox row `dossier.dueSoon`: the
 *    handling agency must tell the desk at least one day before the deadline.
 *
 * Every mark is set in the transaction that writes its outbox row, and the event ids are
 * derived from the dossier and its due date: sweeping again changes nothing. When a late
 * dossier gets a new appointment (extension, form 04), its marks predate the new due date
 * and it is notified again — due soon and overdue — for the new appointment.
 */
import { dueSoonHorizon, type DossierSnapshot } from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import type { BusMessage } from '../bus';
import { within, type Deps } from '../deps';
import {
  act, claimDueTimeout, loadDossier, markDeadlineBatch, postponeTimeout, setNextTimeout, SYSTEM_ACTOR,
  type DeadlineCandidate as Candidate, type DeadlineQuery, type DossierRow as Row, type OutboxInsert as OutboxRow,
} from '../dossiers/service';

export interface SweepOptions {
  /** Dossiers claimed per transaction for the marks. */
  batchSize?: number;
  /** At most this many dossiers get their timeouts raised per sweep (the rest wait for the next). */
  maxTimeouts?: number;
}

export interface SweepResult {
  /** Step timeouts raised (actions applied by the system). */
  timeouts: number;
  overdue: number;
  dueSoon: number;
  /** Dossiers whose timeout could not be raised (logged; retried in an hour). */
  failed: string[];
}

/** A timeout the engine refuses is retried this much later (any officer action recomputes it). */
const RETRY_REFUSED_TIMEOUT_MS = 60 * 60_000;
const MAX_ROUNDS = 1000;

/** Runs one sweep: timeouts first (they may close dossiers), then overdue, then due soon. */
export async function sweep(deps: Deps, options: SweepOptions = {}): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 100;
  const timeouts = await raiseTimeouts(deps, options.maxTimeouts ?? 1000);
  const overdue = await markOverdue(deps, batchSize);
  const dueSoon = await markDueSoon(deps, batchSize);
  return { timeouts: timeouts.raised, overdue, dueSoon, failed: timeouts.failed };
}

// ---- timeouts ------------------------------------------------------------------------------

/** Raises due step timeouts, one dossier per transaction. */
async function raiseTimeouts(deps: Deps, max: number): Promise<{ raised: number; failed: string[] }> {
  const failed: string[] = [];
  let raised = 0;
  for (let n = 0; n < max; n++) {
    const now = deps.clock.now();
    let claimed: string | null = null;
    try {
      const done = await deps.db.transaction(async (tx) => {
        const id = await claimDueTimeout(tx, now.toISOString(), failed);
        if (!id) return null;
        claimed = id;
        return raiseFor(within(deps, tx as unknown as Db), tx, id, now);
      });
      if (!done) break;
      raised += done.raised;
      for (const notice of done.notices) deps.bus.publish(notice);
    } catch (err) {
      if (claimed === null) throw err;
      failed.push(claimed);
      deps.logger.error({ err, dossier: claimed }, 'sweeper: could not raise a step timeout; retrying in an hour');
      await postpone(deps, claimed, now);
    }
  }
  return { raised, failed };
}

/** Applies the timeout action of every active step of one (locked) dossier whose timeout has passed. */
async function raiseFor(deps: Deps, tx: Tx, id: string, now: Date): Promise<{ raised: number; notices: BusMessage[] }> {
  const notices: BusMessage[] = [];
  let raised = 0;
  // A timeout may lead to another step whose timeout has passed too (parallel branches): a few rounds.
  for (let round = 0; round < 10; round++) {
    const row = await loadDossier(tx, id);
    if (!row || row.closedAt) break;
    const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
    if (!proc) throw new Error(`Dossier ${id}: procedure ${row.procedureId}@${row.procedureVersion} not found`);
    const snapshot = row.snapshot as DossierSnapshot;
    const due = snapshot.active.find((a) => a.timeoutAt !== null && Date.parse(a.timeoutAt) <= now.getTime() && proc.steps.get(a.step)?.def.timeout);
    if (!due) {
      if (raised === 0) await resetNextTimeout(tx, row, now);
      break;
    }
    const action = proc.steps.get(due.step)!.def.timeout!.action;
    const result = await act(deps, tx, SYSTEM_ACTOR, id, { step: due.step, action, expectedVersion: row.version });
    notices.push(...result.notices);
    raised++;
    deps.logger.info({ dossier: id, step: due.step, action }, 'sweeper: step timeout raised');
  }
  return { raised, notices };
}

/** `next_timeout_at` said a timeout was due but no step has one: point it at the next real one. */
async function resetNextTimeout(tx: Tx, row: Row, now: Date): Promise<void> {
  const later = (row.snapshot as DossierSnapshot).active.map((a) => a.timeoutAt)
    .filter((t): t is string => t !== null && Date.parse(t) > now.getTime()).sort();
  await setNextTimeout(tx, row.id, later[0] ?? null);
}

async function postpone(deps: Deps, id: string, now: Date): Promise<void> {
  try {
    await postponeTimeout(deps.db, id, new Date(now.getTime() + RETRY_REFUSED_TIMEOUT_MS).toISOString(), now.toISOString());
  } catch (err) {
    deps.logger.error({ err, dossier: id }, 'sweeper: could not postpone a failing timeout');
  }
}

// ---- deadline marks ------------------------------------------------------------------------

/**
 * Claims batches of dossiers a mark is due for, sets the mark on them and writes one
 * outbox row each, in one transaction per batch; returns how many were marked.
 */
async function markInBatches(
  deps: Deps, batchSize: number, query: DeadlineQuery,
  event: (txDeps: Deps, d: Candidate, now: Date) => Promise<OutboxRow>,
): Promise<number> {
  let total = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.clock.now();
    const marked = await deps.db.transaction(async (tx) => {
      // Inside the transaction every read goes through it (PGlite has one connection).
      const txDeps = within(deps, tx as unknown as Db);
      return markDeadlineBatch(tx, query, batchSize, now.toISOString(), (d) => event(txDeps, d, now));
    });
    total += marked;
    if (marked < batchSize) break;
  }
  return total;
}

function facts(d: Candidate) {
  const s = d.snapshot as DossierSnapshot;
  return {
    dossierId: d.id,
    procedureId: d.procedureId,
    procedureCode: d.procedureCode,
    applicant: d.applicantName,
    competentUnit: d.competentUnit,
    receivingUnit: d.receivingUnit,
    returnUnit: d.returnUnit,
    receivedAt: s.clock.receivedAt,
    dueAt: d.dueAt ? new Date(d.dueAt).toISOString() : null,
    originalDueAt: s.clock.originalDueAt,
    extensions: s.clock.extensions,
    steps: s.active.map((a) => ({ step: a.step, unit: a.unit, role: a.role, assignee: a.assignee, dueAt: a.dueAt })),
  };
}

async function markOverdue(deps: Deps, batchSize: number): Promise<number> {
  const now = deps.clock.now().toISOString();
  return markInBatches(deps, batchSize, { mark: 'overdue', now }, async (txDeps, d, at) => {
    const f = facts(d);
    const calendar = await txDeps.directory.calendar(d.competentUnit);
    return {
      eventId: `${d.id}#overdue@${f.dueAt}`,
      topic: 'dossier.overdue',
      dossierId: d.id,
      createdAt: at.toISOString(),
      payload: {
        ...f,
        detectedAt: at.toISOString(),
        lateWorkingMinutes: f.dueAt ? Math.max(0, Math.round(calendar.workingMinutesBetween(Date.parse(f.dueAt), at.getTime()))) : null,
        // docs/domain.md, "Lateness and apology": the citizen receives an apology with the reason and a new appointment.
        duty: {
          slip: 'apology',
          form: '04',
          title: { vi: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', en: 'Apology and new appointment' },
          issuedBy: d.competentUnit,
          signedBy: 'head of the handling agency',
          to: 'applicant',
          content: ['reason for the delay', 'apology', 'new appointment'],
        },
        notify: [{ unit: d.competentUnit, role: null }, { unit: d.receivingUnit, role: 'desk' }],
      },
    };
  });
}

/**
 * Dossiers due within one working day. Units may keep different calendars, so the horizon
 * is computed per unit and units sharing a horizon are swept together (usually one query).
 */
async function markDueSoon(deps: Deps, batchSize: number): Promise<number> {
  const now = deps.clock.now();
  const byHorizon = new Map<string, string[]>();
  const known: string[] = [];
  for (const unit of await deps.directory.allUnits()) {
    const calendar = await deps.directory.calendar(unit.code);
    const horizon = new Date(dueSoonHorizon(now.getTime(), calendar)).toISOString();
    byHorizon.set(horizon, [...(byHorizon.get(horizon) ?? []), unit.code]);
    known.push(unit.code);
  }
  const event = async (txDeps: Deps, d: Candidate, at: Date): Promise<OutboxRow> => {
    const f = facts(d);
    const calendar = await txDeps.directory.calendar(d.competentUnit);
    return {
      eventId: `${d.id}#dueSoon@${f.dueAt}`,
      topic: 'dossier.dueSoon',
      dossierId: d.id,
      createdAt: at.toISOString(),
      payload: {
        ...f,
        detectedAt: at.toISOString(),
        workingMinutesLeft: f.dueAt ? Math.max(0, Math.round(calendar.workingMinutesBetween(at.getTime(), Date.parse(f.dueAt)))) : null,
        // docs/domain.md, "Deadlines": at least one day before the deadline the handling agency notifies the desk.
        notify: [{ unit: d.competentUnit, role: null }, { unit: d.receivingUnit, role: 'desk' }],
      },
    };
  };
  let total = 0;
  for (const [horizon, units] of byHorizon) {
    total += await markInBatches(deps, batchSize, { mark: 'dueSoon', now: now.toISOString(), horizon, units: { in: units } }, event);
  }
  // Dossiers of a unit no longer in the directory: the province calendar.
  const calendar = await deps.directory.calendar();
  const horizon = new Date(dueSoonHorizon(now.getTime(), calendar)).toISOString();
  total += await markInBatches(deps, batchSize, { mark: 'dueSoon', now: now.toISOString(), horizon, units: { notIn: known } }, event);
  return total;
}
