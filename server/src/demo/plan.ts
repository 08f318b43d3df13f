/**
 * What happens to each demo dossier: where and when it arrives, how it ends (its fate),
 * how fast officers work on it, and the detours on the way (supplements, send-backs,
 * extensions). Deterministic for a given seed.
 */
import type { Calendar, Channel, ProcedureDefinition } from '@motcua/engine';
import type { DemoUnit } from './people';
import type { ScenarioBank } from './inputs';
import type { Rng } from './random';

/** `awaiting`: received a little while ago and waiting, on time, for a leader's signature. */
export type Fate = 'approved' | 'rejected' | 'refused' | 'withdrawn' | 'stopped' | 'waiting' | 'overdue' | 'open' | 'awaiting';
export type Pace = 'early' | 'onTime' | 'late';

export interface DossierPlan {
  procedureId: string;
  channel: Channel;
  receivingUnit: string;
  competentUnit?: string;
  /** Epoch ms. */
  submittedAt: number;
  fate: Fate;
  pace: Pace;
  intakeSupplement: boolean;
  handlingSupplement: boolean;
  sendBack: boolean;
  extend: boolean;
  /** Where a waiting (or finally stopped) dossier waits for the citizen. */
  waitAt: 'intake' | 'handling';
  /** The step kind a stalled (overdue or awaiting) dossier sits at. */
  stallAt: 'task' | 'approval';
  /** Officer actions before the citizen withdraws. */
  withdrawAfter: number;
  rate: boolean;
  /** A linked dossier spawned by a hand-off (never withdrawn, mostly smooth). */
  linked?: boolean;
  /** The catalog papers a desk ticks when it receives the dossier (all required ones; one short when a supplement follows). */
  papers?: string[];
}

/** Every fate appears early in the sequence, so even a small demo shows all of them. */
const FIRST: Fate[] = ['approved', 'refused', 'waiting', 'overdue', 'withdrawn', 'open', 'rejected', 'stopped', 'approved', 'waiting', 'overdue'];
const FATES: { [k in Exclude<Fate, 'awaiting'>]: number } = { approved: 57, rejected: 4, refused: 6, withdrawn: 4, stopped: 3, waiting: 7, overdue: 7, open: 12 };

/** How often each procedure is asked for at a commune desk (certified copies are by far the most common). */
const POPULARITY: { [id: string]: number } = {
  'chung-thuc-ban-sao-tu-ban-chinh': 20, 'dang-ky-khai-sinh': 11, 'chung-thuc-chu-ky': 9, 'xac-nhan-tinh-trang-hon-nhan': 9,
  'cap-ban-sao-trich-luc-ho-tich': 7, 'dang-ky-thuong-tru': 7, 'dang-ky-tam-tru': 7, 'dang-ky-ket-hon': 6, 'dang-ky-khai-tu': 5,
  'lien-thong-khai-sinh-thuong-tru-bhyt': 5, 'thay-doi-cai-chinh-bo-sung-ho-tich': 4, 'cap-the-bhyt-tre-em-duoi-6-tuoi': 3,
  'dang-ky-lai-khai-sinh': 2, 'dang-ky-giam-ho': 1, 'dang-ky-nhan-cha-me-con': 1,
};
const COMMUNE_WEIGHT = [40, 35, 25];

/** Working minutes of a procedure's legal time (a same-day procedure counts as one working day). */
export function legalMinutes(def: ProcedureDefinition, calendar: Calendar): number {
  const d = def.catalog.legalDeadline;
  const m = d.days !== undefined ? d.days * calendar.minutesPerDay : (d.hours ?? 0) * 60;
  return Math.max(m, calendar.minutesPerDay);
}

const hasAction = (def: ProcedureDefinition, id: string) => def.steps.some((s) => s.actions?.some((a) => a.id === id));
const hasHandoff = (def: ProcedureDefinition): boolean => JSON.stringify(def.steps).includes('"handoff"');

export interface PlanContext {
  rng: Rng;
  calendar: Calendar;
  now: number;
  periodStart: number;
  units: DemoUnit[];
  procedures: ProcedureDefinition[];
  banks: Map<string, ScenarioBank>;
  /** Whether a procedure is non-geographic: the province's list when set (catalog/nonGeographic.ts), else its flag. */
  nonGeographic?: (def: ProcedureDefinition) => boolean;
}

/** Where a procedure is received: the units of the kind its scenarios use (communes, police, social insurance). */
function receivingUnit(ctx: PlanContext, def: ProcedureDefinition): string {
  const { rng, units } = ctx;
  const bank = ctx.banks.get(def.id);
  const sample = bank?.receivingUnits[0];
  const sampleUnit = units.find((u) => u.code === sample);
  // Inter-agency bundles hand off to fixed units: receive them where their scenarios do.
  if (sample && (hasHandoff(def) || !sampleUnit)) return sample;
  const kind = sampleUnit?.kind ?? 'commune';
  const local = (u: DemoUnit) => (kind === 'commune' || kind === 'ward' ? u.kind === 'commune' || u.kind === 'ward' : u.kind === kind && (!!u.parent || !sampleUnit?.parent));
  const candidates = units.filter(local);
  if (candidates.length === 0) return sample ?? units[0]!.code;
  const weights: { [k: string]: number } = {};
  candidates.forEach((u, i) => { weights[u.code] = COMMUNE_WEIGHT[i] ?? 20; });
  return rng.weighted(weights);
}

function submittedAt(ctx: PlanContext, fate: Fate, legal: number, channel: Channel): number {
  const { rng, calendar: cal, now, periodStart } = ctx;
  const day = cal.minutesPerDay;
  const back = (minutes: number) => Math.max(cal.addWorkingMinutes(now, -minutes), cal.addWorkingMinutes(periodStart, 1));
  switch (fate) {
    case 'open': return back(rng.between(0.03, 0.9) * legal);
    case 'awaiting': return back(rng.between(0.2, 0.4) * legal);
    case 'overdue': return back(legal + rng.between(1, 12) * day);
    case 'waiting': return back(rng.between(0.3, 18) * day);
    case 'stopped': return back(rng.between(34, 45) * day);
    default: {
      const upper = Math.max(cal.addWorkingMinutes(now, -(legal + 3 * day)), periodStart + 3_600_000);
      if (channel === 'online') return rng.between(periodStart, upper);
      const span = Math.max(1, cal.workingMinutesBetween(periodStart, upper));
      return cal.addWorkingMinutes(periodStart, rng.between(1, span));
    }
  }
}

const communesOf = (units: DemoUnit[]) => units.filter((u) => u.kind === 'commune' || u.kind === 'ward');

function awaitingPool(ctx: PlanContext): { communes: DemoUnit[]; signable: ProcedureDefinition[] } {
  const communes = communesOf(ctx.units);
  const signable = ctx.procedures.filter((p) => p.steps.some((s) => s.kind === 'approval') && !hasHandoff(p)
    && (p.catalog.channels ?? ['direct']).includes('direct')
    && communes.some((u) => u.code === ctx.banks.get(p.id)?.receivingUnits[0]));
  return { communes, signable };
}

/** How many awaiting dossiers a demo of `count` gets: one per commune, when it is big enough to spare them. */
function awaitingCount(ctx: PlanContext, count: number): number {
  const { communes, signable } = awaitingPool(ctx);
  return signable.length > 0 && count >= 4 * communes.length ? communes.length : 0;
}

/**
 * One dossier per commune waiting for its leaders' signature, whatever the hour the demo is
 * seeded: the plans above depend on where "now" falls in the working week, and a leader who
 * opens the demo should always find something to sign (the browser tests rely on it too).
 */
function awaitingPlans(ctx: PlanContext, weights: { [id: string]: number }, count: number): DossierPlan[] {
  const { rng } = ctx;
  const { communes, signable } = awaitingPool(ctx);
  if (count === 0) return [];
  const pool = Object.fromEntries(signable.map((p) => [p.id, weights[p.id] ?? 2]));
  return communes.map((u) => {
    const id = rng.weighted(pool);
    const def = signable.find((p) => p.id === id)!;
    return {
      procedureId: def.id, channel: 'direct' as Channel, receivingUnit: u.code,
      submittedAt: submittedAt(ctx, 'awaiting', legalMinutes(def, ctx.calendar), 'direct'),
      fate: 'awaiting' as Fate, pace: 'early' as Pace, intakeSupplement: false, handlingSupplement: false, sendBack: false, extend: false,
      waitAt: 'handling' as const, stallAt: 'approval' as const, withdrawAfter: 99, rate: false,
    };
  });
}

/** The plans of `count` dossiers, in the order they arrive. */
export function planDossiers(ctx: PlanContext, count: number): DossierPlan[] {
  const { rng } = ctx;
  const byId = new Map(ctx.procedures.map((p) => [p.id, p]));
  const weights: { [id: string]: number } = {};
  for (const p of ctx.procedures) weights[p.id] = POPULARITY[p.id] ?? 2;
  const rejectable = ctx.procedures.filter((p) => hasAction(p, 'proposeRejection')).map((p) => p.id);
  const plans: DossierPlan[] = [];
  const extra = awaitingCount(ctx, count);
  for (let i = 0; i < count - extra; i++) {
    const fate = FIRST[i] ?? rng.weighted(FATES);
    const id = fate === 'rejected' && rejectable.length ? rng.pick(rejectable) : rng.weighted(weights);
    const def = byId.get(id)!;
    const channels = def.catalog.channels ?? ['direct'];
    const channel = channels.length === 1 ? channels[0]! : rng.weighted(Object.fromEntries(channels.map((c) => [c, c === 'direct' ? 55 : c === 'online' ? 40 : 5])) as { [k in Channel]?: number });
    const receiving = receivingUnit(ctx, def);
    let competentUnit: string | undefined;
    const communes = ctx.units.filter((u) => u.kind === 'commune' || u.kind === 'ward').map((u) => u.code);
    if ((ctx.nonGeographic?.(def) ?? def.catalog.nonGeographic) && communes.includes(receiving) && rng.chance(0.1)) {
      competentUnit = rng.pick(communes.filter((c) => c !== receiving));
    }
    const legal = legalMinutes(def, ctx.calendar);
    const smooth = fate === 'overdue' || fate === 'open';
    const required = def.catalog.documents.filter((d) => !d.optional && d.when === undefined).map((d) => d.id);
    const plan: DossierPlan = {
      procedureId: id, channel, receivingUnit: receiving, ...(competentUnit ? { competentUnit } : {}),
      submittedAt: submittedAt(ctx, fate, legal, channel),
      fate,
      pace: fate === 'approved' ? rng.weighted<Pace>({ early: 50, onTime: 40, late: 9 }) : rng.weighted<Pace>({ early: 50, onTime: 50 }),
      intakeSupplement: fate !== 'waiting' && fate !== 'stopped' && rng.chance(0.08),
      handlingSupplement: !smooth && fate !== 'waiting' && fate !== 'stopped' && rng.chance(0.1),
      sendBack: !smooth && rng.chance(0.07),
      extend: fate !== 'overdue' && rng.chance(0.09),
      waitAt: rng.chance(0.4) ? 'intake' : 'handling',
      stallAt: rng.chance(0.7) ? 'task' : 'approval',
      withdrawAfter: rng.int(1, 2),
      rate: rng.chance(0.5),
    };
    // No draw here: the random sequence, and so the demo province, stays as it was.
    plan.papers = plan.intakeSupplement || (fate === 'waiting' && plan.waitAt === 'intake') ? required.slice(0, -1) : required;
    plans.push(plan);
  }
  return [...plans, ...awaitingPlans(ctx, weights, extra)].sort((a, b) => a.submittedAt - b.submittedAt);
}

/** A linked dossier spawned at another agency: handled promptly, rarely with a detour. */
export function linkedPlan(rng: Rng, procedureId: string, at: number, channel: Channel, receivingUnit: string): DossierPlan {
  return {
    procedureId, channel, receivingUnit, submittedAt: at, fate: 'approved', pace: rng.chance(0.7) ? 'early' : 'onTime',
    intakeSupplement: false, handlingSupplement: false, sendBack: false, extend: false, waitAt: 'handling', stallAt: 'task',
    withdrawAfter: 99, rate: false, linked: true,
  };
}
