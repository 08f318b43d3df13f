/**
 * Drives one demo dossier through the real service (`intake`, `act`), as the officers
 * and the citizen would, moving a manual clock step by step: at each point it asks the
 * engine which actions the responsible person may take and picks one by the dossier's plan.
 */
import {
  availableActions, GLOBAL_STEP, type Actor, type Calendar, type CompiledProcedure, type DossierSnapshot, type JsonSchema, type StepDefinition,
} from '@motcua/engine';
import type { Db, Tx } from '../db/client';
import type { ManualClock } from '../clock';
import { within, type Deps } from '../deps';
import { HttpError } from '../http/errors';
import { act, intake, openChildren, recordRating, SYSTEM_ACTOR } from '../dossiers/service';
import { loadDossier, type DossierRow } from '../dossiers/service';
import { actionInputs, dossierData, type ScenarioBank } from './inputs';
import { linkedPlan, legalMinutes, type DossierPlan } from './plan';
import { address, phone, type Rng } from './random';

export interface DriveContext {
  /** Seeding dependencies: their clock is `clock`. */
  deps: Deps;
  clock: ManualClock;
  now: number;
  rng: Rng;
  calendar: Calendar;
  /** Officers by `<role>@<unit>`. */
  officers: Map<string, Actor[]>;
  banks: Map<string, ScenarioBank>;
  /** Display names of places by unit code ("xã An Phú"). */
  places: Map<string, string>;
  /** Whether a procedure is non-geographic: the province's list when set (catalog/nonGeographic.ts), else its flag. */
  nonGeographic?: (proc: CompiledProcedure) => boolean;
}

interface Option { action: string; inputs: JsonSchema | null; intent: string }
interface Decision { actor: Actor; step: string; options: Option[]; at: number }

const MINUTE = 60_000;
const COMMENTS = ['Cán bộ hướng dẫn tận tình', 'Giải quyết nhanh, đúng hẹn', 'Thủ tục đơn giản, dễ thực hiện', 'Phải chờ hơi lâu', 'Rất hài lòng'];

function officer(ctx: DriveContext, role: string | null, unit: string): Actor | null {
  const list = role ? ctx.officers.get(`${role}@${unit}`) : undefined;
  if (!list || list.length === 0) return null;
  // Deputies sign most of the daily dossiers (KT. CHỦ TỊCH).
  return list.length > 1 && ctx.rng.chance(0.6) ? list[1]! : list[0]!;
}

const slaMinutes = (step: StepDefinition, cal: Calendar, fallback: number) =>
  step.sla ? (step.sla.days !== undefined ? step.sla.days * cal.minutesPerDay : (step.sla.hours ?? 0) * 60) : fallback;

/** Working minutes the responsible person takes at a step, by the plan's pace. */
function delay(ctx: DriveContext, plan: DossierPlan, step: StepDefinition, legal: number, done: Set<string>): number {
  const { rng, calendar: cal } = ctx;
  if (step.kind === 'intake') return plan.channel === 'direct' ? rng.between(5, 40) : rng.between(20, 0.8 * cal.minutesPerDay);
  const sla = slaMinutes(step, cal, legal / 3);
  if (step.kind === 'return-result') return Math.max(5, rng.between(0.05, plan.pace === 'early' ? 0.4 : 0.9) * sla);
  if (plan.pace === 'late' && step.kind === 'task' && !done.has('late')) {
    done.add('late');
    return legal * rng.between(1.05, 1.5);
  }
  return Math.max(3, (plan.pace === 'early' ? rng.between(0.08, 0.4) : rng.between(0.45, 0.9)) * sla);
}

/** What the actor may do at the step: the engine's list, plus actions whose guard reads the inputs (decided on apply). */
async function offered(ctx: DriveContext, d: Deps, proc: CompiledProcedure, s: DossierSnapshot, actor: Actor, step: StepDefinition, at: number): Promise<Option[]> {
  const list: Option[] = availableActions(proc, s, {
    now: new Date(at).toISOString(), actor, calendar: await d.directory.calendar(s.routing.competent), delegations: [], units: await d.directory.unitInfos(),
  }).filter((o) => o.step === step.id).map((o) => ({ action: o.action, inputs: o.inputs, intent: o.intent }));
  for (const a of step.actions ?? []) {
    if (list.some((o) => o.action === a.id) || !JSON.stringify(a.guard ?? null).includes('"inputs.')) continue;
    if (actor.grants.some((g) => g.role === (a.role ?? step.role))) list.push({ action: a.id, inputs: a.inputs ?? null, intent: a.intent ?? 'proceed' });
  }
  return list;
}

/** The plan's preferred actions first, then anything that moves the dossier on. */
function rank(plan: DossierPlan, step: StepDefinition, options: Option[], done: Set<string>): Option[] {
  const want: string[] = [];
  const waits = plan.fate === 'waiting' || plan.fate === 'stopped';
  const once = (action: string) => !done.has(`${step.id}:${action}`);
  if (step.kind === 'intake') {
    if (waits && plan.waitAt === 'intake') want.push('requestSupplement');
    if (plan.intakeSupplement && once('requestSupplement')) want.push('requestSupplement');
    if (plan.fate === 'refused') want.push('refuse');
    want.push('accept');
  } else if (step.kind === 'task') {
    if (plan.fate === 'rejected') want.push('proposeRejection');
    if (waits && plan.waitAt === 'handling') want.push('requestSupplement');
    if (plan.handlingSupplement && once('requestSupplement')) want.push('requestSupplement');
    if (plan.extend && !done.has('extend')) want.push('extend');
    want.push('propose');
  } else if (step.kind === 'approval') {
    if (plan.sendBack && once('sendBack')) want.push('sendBack');
    want.push('approve');
  } else if (step.kind === 'return-result') {
    want.push('returnResult');
  }
  const detours = new Set(['refuse', 'requestSupplement', 'sendBack', 'extend', 'proposeRejection', 'withdraw']);
  const ordered = [
    ...want.map((w) => options.find((o) => o.action === w)),
    ...options.filter((o) => o.intent === 'proceed' && !detours.has(o.action)),
  ].filter((o): o is Option => o !== undefined);
  return ordered.filter((o, i) => ordered.indexOf(o) === i);
}

async function decide(ctx: DriveContext, d: Deps, proc: CompiledProcedure, s: DossierSnapshot, plan: DossierPlan, citizen: Actor, t: number, officerActs: number, done: Set<string>): Promise<Decision | null> {
  const { rng, calendar: cal } = ctx;
  const def = proc.definition;
  const later = (minutes: number) => cal.addWorkingMinutes(t, minutes);
  const forCitizen = plan.channel === 'online' ? citizen : officer(ctx, 'desk', s.routing.receiving) ?? citizen;
  if (plan.fate === 'withdrawn' && officerActs >= plan.withdrawAfter) {
    const w = def.globalActions?.find((a) => a.intent === 'withdraw' || a.id === 'withdraw');
    if (w) return { actor: forCitizen, step: GLOBAL_STEP, options: [{ action: w.id, inputs: w.inputs ?? null, intent: 'withdraw' }], at: later(rng.between(10, 900)) };
  }
  for (const a of s.active) {
    const step = proc.steps.get(a.step)?.def;
    if (!step || a.role === 'system' || step.kind === 'handoff') continue;
    if (a.role === 'applicant' || step.kind === 'wait-citizen') {
      const submit = step.actions?.find((x) => (x.role ?? step.role) === 'applicant');
      if (submit && plan.fate !== 'waiting' && plan.fate !== 'stopped') {
        return { actor: forCitizen, step: a.step, options: [{ action: submit.id, inputs: submit.inputs ?? null, intent: 'proceed' }], at: later(rng.between(0.3, 6) * cal.minutesPerDay) };
      }
      // Never answered: the sweeper stops the dossier when the step times out.
      if (a.timeoutAt && step.timeout && Date.parse(a.timeoutAt) <= ctx.now) {
        return { actor: SYSTEM_ACTOR, step: a.step, options: [{ action: step.timeout.action, inputs: null, intent: 'stop' }], at: Date.parse(a.timeoutAt) + rng.int(1, 20) * MINUTE };
      }
      return null;
    }
    if ((plan.fate === 'overdue' || plan.fate === 'awaiting') && s.clock.receivedAt && step.kind === plan.stallAt) return null;
    const actor = officer(ctx, a.role, a.unit);
    if (!actor) continue;
    const at = later(delay(ctx, plan, step, legalMinutes(def, cal), done));
    const options = rank(plan, step, await offered(ctx, d, proc, s, actor, step, at), done);
    if (options.length) return { actor, step: a.step, options, at };
  }
  return null;
}

async function rate(ctx: DriveContext, tx: Tx, id: string, closedAt: string): Promise<void> {
  const { rng } = ctx;
  const at = Date.parse(closedAt) + rng.between(20, 3 * 24 * 60) * MINUTE;
  if (at > ctx.now) return;
  const score = Number(rng.weighted({ '5': 58, '4': 28, '3': 9, '2': 4, '1': 1 }));
  const comment = rng.chance(0.4) ? rng.pick(COMMENTS) : null;
  await recordRating(ctx.deps, tx, id, score, comment, new Date(at));
}

/** Runs a dossier's life up to `ctx.now` (or where its plan leaves it); returns how many linked dossiers it spawned. */
async function follow(ctx: DriveContext, d: Deps, tx: Tx, first: DossierRow, plan: DossierPlan, citizen: Actor): Promise<number> {
  const id = first.id;
  let row: DossierRow | undefined = first;
  let t = plan.submittedAt;
  let officerActs = 0;
  let linked = 0;
  const done = new Set<string>();
  const driven = new Set<string>();
  for (let i = 0; i < 60; i++) {
    row ??= (await loadDossier(tx, id)) ?? undefined;
    if (!row) throw new Error(`demo dossier ${id} vanished`);
    const s = row.snapshot as DossierSnapshot;
    if (s.status === 'done') {
      if (s.outcome === 'approved' && plan.rate && s.closedAt) await rate(ctx, tx, id, s.closedAt);
      break;
    }
    t = Math.max(t, ...s.active.map((a) => Date.parse(a.enteredAt)));
    if (Object.keys(s.links).length > 0) {
      const kids = (await openChildren(tx, id)).filter((k) => !driven.has(k.id));
      if (kids.length > 0) {
        for (const k of kids) {
          driven.add(k.id);
          linked += 1 + await follow(ctx, d, tx, k, linkedPlan(ctx.rng, k.procedureId, Date.parse(k.submittedAt), plan.channel, k.receivingUnit), citizen);
        }
        // Closing the linked dossiers resumed this one: read it again.
        row = undefined;
        continue;
      }
    }
    const proc = await d.directory.procedure(row.procedureId, row.procedureVersion);
    if (!proc) throw new Error(`procedure ${row.procedureId}@${row.procedureVersion} is missing`);
    const decision = await decide(ctx, d, proc, s, plan, citizen, t, officerActs, done);
    if (!decision) break;
    if (decision.at > ctx.now) {
      // An awaiting dossier reaches its leader by now, however the hour falls in the working week.
      if (plan.fate !== 'awaiting') break;
      decision.at = Math.max(t, ctx.now - MINUTE);
    }
    ctx.clock.set(new Date(decision.at));
    let applied: string | null = null;
    const failures: string[] = [];
    for (const o of decision.options) {
      const inputs = actionInputs(ctx.banks.get(plan.procedureId), decision.step, o.action, o.inputs, ctx.rng, decision.at,
        { nonGeographic: ctx.nonGeographic?.(proc) ?? proc.definition.catalog.nonGeographic });
      if (inputs === undefined) continue;
      try {
        row = (await act(d, tx, decision.actor, id, { step: decision.step, action: o.action, inputs })).row;
        applied = o.action;
        break;
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        failures.push(`${o.action}: ${e.code} ${e.message}`);
      }
    }
    if (!applied) throw new Error(`demo dossier ${id} (${row.procedureId}) stuck at ${decision.step}: ${failures.join('; ') || 'no inputs'}`);
    done.add(`${decision.step}:${applied}`);
    if (applied === 'extend') done.add('extend');
    if (decision.actor.kind === 'officer') officerActs++;
    t = decision.at;
  }
  return linked;
}

/** Receives a dossier by its plan and drives it, in the caller's transaction; returns its id and how many linked dossiers it spawned. */
export async function driveDossier(ctx: DriveContext, tx: Tx, plan: DossierPlan): Promise<{ id: string; linked: number }> {
  const d = within(ctx.deps, tx as unknown as Db);
  const { rng } = ctx;
  ctx.clock.set(new Date(plan.submittedAt));
  const { data, applicantName, applicantId } = dossierData(ctx.banks.get(plan.procedureId), rng, plan.submittedAt);
  const citizen: Actor = { id: applicantId, name: applicantName, kind: 'applicant', grants: [] };
  const desk = officer(ctx, 'desk', plan.receivingUnit);
  const place = ctx.places.get(plan.competentUnit ?? plan.receivingUnit) ?? 'tỉnh Demo';
  const byDesk = plan.channel !== 'online' && desk !== null;
  const { row } = await intake(d, tx, byDesk && desk ? desk : citizen, {
    procedureId: plan.procedureId, channel: plan.channel, receivingUnit: plan.receivingUnit,
    ...(plan.competentUnit ? { competentUnit: plan.competentUnit } : {}),
    ...(plan.channel === 'postal' ? { returnVia: 'post' as const } : {}),
    applicant: { id: applicantId, name: applicantName, address: address(rng, place), phone: phone(rng) },
    data,
    ...(byDesk && plan.papers?.length ? { papers: plan.papers } : {}),
  });
  return { id: row.id, linked: await follow(ctx, d, tx, row, plan, citizen) };
}
