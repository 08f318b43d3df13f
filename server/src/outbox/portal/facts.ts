/**
 * What the national portal will be told of one dossier event, computed when the change is
 * committed (pure, from the snapshots before and after and the transition's effects) and
 * stored in the outbox row's payload under `portal`. The sync record is folded from the
 * dossier's facts up to that event at delivery (./record.ts), so each delivery carries the
 * dossier as it was at its own event — supplement rounds, extensions and apologies included.
 */
import { actionInfo, holds, type CompiledProcedure, type DossierEvent, type DossierSnapshot, type Effect } from '@motcua/engine';
import type { InternalState } from './status';

export interface PortalFacts {
  v: 1;
  /** The internal state this event leaves the dossier in (the status table maps it to a code). */
  state: InternalState;
  at: string;
  dossier: {
    code: string;
    /** The portal's own id of a dossier submitted on the portal (./inbound.ts), else null. */
    portalId: string | null;
    procedureCode: string;
    publishedCode: string;
    procedureName: string;
    field: string;
    /** The field's code in the national catalog (mã lĩnh vực); null when the definition has none, absent in facts stored before it was kept. */
    fieldCode?: string | null;
    /** online | direct | postal … as the engine names the channel. */
    channel: string;
    receiving: string;
    competent: string;
    returnVia: string;
    applicant: {
      name: string;
      kind: 'person' | 'organisation';
      id: string | null;
      address: string | null;
      phone: string | null;
      email: string | null;
    };
    summary: string;
    /** When the dossier was submitted (handed in at the desk, sent online); absent in facts stored before it was kept. */
    submittedAt?: string | null;
    receivedAt: string | null;
    dueAt: string | null;
    /** When handling ended (the result was decided or the dossier closed). */
    finishedAt: string | null;
    /** When the result was handed back (closed with a result). */
    returnedAt: string | null;
    outcome: string | null;
    papers: { id: string; name: string }[];
    fees: { id: string; name: string; amount: number }[];
    result: string;
  };
  /** What this event changed that the portal keeps a list of. */
  changes: Change[];
  progress: {
    handler: string;
    /** The capacity or title the handler acted in ("KT. CHỦ TỊCH"), when known. */
    title: string | null;
    /** The unit that holds the step acted on (code). */
    unit: string;
    /** The action's Vietnamese label ("Tiếp nhận hồ sơ", "Trình ký"). */
    action: string;
    content: string;
    stepStart: string | null;
    stepDue: string | null;
  };
}

export type Change =
  | { kind: 'supplement-requested'; at: string; by: string; reason: string | null; oldDueAt: string | null }
  | { kind: 'supplement-received'; at: string; by: string; newDueAt: string | null }
  | { kind: 'extension' | 'apology'; at: string; oldDueAt: string | null; newDueAt: string | null; reason: string | null }
  | { kind: 'payment-requested'; at: string; fees: { id: string; amount: number }[] }
  | { kind: 'paid'; at: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** A tax code (10 digits, or 10-3 for a branch) names an organisation; anything else a person (personal ID). */
export function applicantKind(id: string | undefined, data: { [k: string]: unknown }): 'person' | 'organisation' {
  const declared = data['applicantKind'];
  if (declared === 'organisation' || declared === 'person') return declared;
  return id && /^\d{10}(-\d{3})?$/.test(id) ? 'organisation' : 'person';
}

function stateOf(before: DossierSnapshot | null, s: DossierSnapshot, proc: CompiledProcedure, last: boolean): InternalState {
  if (s.status === 'done') {
    switch (s.outcome) {
      case 'refused': return 'refused';
      case 'withdrawn': return 'withdrawn';
      case 'stopped': return 'stopped';
      case 'rejected': return 'rejected';
      default: return 'returned';
    }
  }
  if (s.clock.receivedAt === null) return 'registered';
  // The event that accepted the dossier (not an earlier one of the same transition).
  if ((before?.clock.receivedAt ?? null) === null) return last ? 'accepted' : 'registered';
  const kinds = s.active.map((a) => proc.steps.get(a.step)?.def.kind);
  if (kinds.includes('wait-citizen')) return 'supplement';
  if (kinds.includes('payment')) return 'payment';
  if (kinds.includes('return-result')) return 'handled';
  return 'in-progress';
}

/** Free text an officer gave with the action (a note, a reason), if any. */
function noteOf(inputs: { [k: string]: unknown }): string | null {
  for (const k of ['note', 'reason', 'content', 'comment', 'message']) {
    const v = str(inputs[k]);
    if (v) return v;
  }
  return null;
}

export interface FactsContext {
  before: DossierSnapshot | null;
  effects: readonly Effect[];
  /** Whether `e` is the transition's last event (its effects and state belong to it). */
  last: boolean;
}

/** The portal facts of one event (pure). */
export function portalFacts(s: DossierSnapshot, e: DossierEvent, proc: CompiledProcedure, ctx: FactsContext): PortalFacts {
  const catalog = proc.definition.catalog;
  const data = s.data;
  const contact = (data['applicantContact'] ?? {}) as { address?: unknown; phone?: unknown; email?: unknown };
  const scope = { data, inputs: {}, dossier: {} };
  const fees = catalog.fees.filter((f) => !f.when || holds(f.when, scope))
    .map((f) => ({ id: f.id, name: f.name.vi, amount: (f.param ? s.parameters?.[f.param] : undefined) ?? f.amount }));
  const papers = ((data['intakePapers'] ?? []) as { id: string; name: { vi: string } }[]).map((p) => ({ id: p.id, name: p.name.vi }));
  const closed = s.status === 'done';
  const kinds = s.active.map((a) => proc.steps.get(a.step)?.def.kind);
  const finishedAt = closed ? s.closedAt : kinds.includes('return-result') ? (s.active.find((a) => proc.steps.get(a.step)?.def.kind === 'return-result')?.enteredAt ?? null) : null;
  const returned = closed && (s.outcome === 'approved' || s.outcome === 'rejected');

  const changes: Change[] = [];
  const by = e.actor.name;
  const oldDue = ctx.before?.clock.dueAt ?? null;
  if (ctx.last) {
    for (const f of ctx.effects) {
      if (f.type === 'clockPaused') changes.push({ kind: 'supplement-requested', at: e.at, by, reason: e.type === 'action.applied' ? noteOf(e.inputs) : null, oldDueAt: oldDue });
      else if (f.type === 'clockResumed') changes.push({ kind: 'supplement-received', at: e.at, by, newDueAt: f.dueAt });
      else if (f.type === 'deadlineChanged' && (f.kind === 'apology' || f.kind === 'extra-time' || f.kind === 'legal-case')) {
        changes.push({ kind: f.kind === 'apology' ? 'apology' : 'extension', at: e.at, oldDueAt: oldDue, newDueAt: f.dueAt, reason: f.reason });
      } else if (f.type === 'requestPayment') changes.push({ kind: 'payment-requested', at: e.at, fees: f.fees });
    }
    if (e.type === 'action.applied' && e.from.some((st) => proc.steps.get(st)?.def.kind === 'payment') && !e.to.some((st) => proc.steps.get(st)?.def.kind === 'payment')) {
      changes.push({ kind: 'paid', at: e.at });
    }
  }

  const info = e.type === 'action.applied' ? actionInfo(proc, e.step, e.action) : undefined;
  const stepId = e.type === 'action.applied' ? e.step : (s.active[0]?.step ?? null);
  const activeStep = e.type === 'action.applied'
    ? (ctx.before?.active.find((a) => a.step === e.step) ?? s.active.find((a) => a.step === e.step))
    : s.active[0];
  const label = e.type === 'action.applied' ? (info?.def.label.vi ?? e.action)
    // A move to another version changes the step the dossier waits at, not its legal clock (docs/migration.md).
    : e.type === 'dossier.migrated' ? `Chuyển sang phiên bản ${e.toVersion} của thủ tục` : 'Nộp hồ sơ';
  const stepName = stepId ? proc.steps.get(stepId)?.def.name.vi ?? stepId : '';
  const note = e.type === 'action.applied' ? noteOf(e.inputs) : null;
  const title = e.type === 'action.applied'
    ? (e.capacity ? `${e.capacity.prefix} ${e.capacity.lines.join(' / ')}` : e.onBehalfOf?.title ?? null)
    : null;

  return {
    v: 1,
    state: stateOf(ctx.before, s, proc, ctx.last),
    at: e.at,
    dossier: {
      code: s.dossierId,
      portalId: str(data['portalDossierId']),
      procedureCode: catalog.code,
      publishedCode: catalog.publishedCode ?? catalog.code,
      procedureName: catalog.name.vi,
      field: catalog.field,
      fieldCode: catalog.fieldCode?.trim() || null,
      channel: s.channel,
      receiving: s.routing.receiving,
      competent: s.routing.competent,
      returnVia: s.routing.returnVia,
      applicant: {
        name: s.applicant.name,
        kind: applicantKind(s.applicant.id, data),
        id: s.applicant.id ?? null,
        address: str(contact.address),
        phone: str(contact.phone),
        email: str(contact.email),
      },
      summary: str(data['summary']) ?? `${catalog.name.vi} – ${s.applicant.name}`,
      submittedAt: s.clock.submittedAt,
      receivedAt: s.clock.receivedAt,
      dueAt: s.clock.dueAt,
      finishedAt,
      returnedAt: returned ? s.closedAt : null,
      outcome: s.outcome,
      papers,
      fees,
      result: catalog.result.vi,
    },
    changes,
    progress: {
      handler: e.actor.name,
      title,
      unit: activeStep?.unit ?? s.routing.receiving,
      action: label,
      content: [stepName && stepName !== label ? `${stepName}: ${label}` : label, note].filter(Boolean).join(' – '),
      stepStart: activeStep?.enteredAt ?? null,
      stepDue: activeStep?.dueAt ?? null,
    },
  };
}
