import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate';
import type { ErrorObject } from 'ajv';
import { GLOBAL_STEP, actionInfo, type ActionInfo, type CompiledProcedure } from '../compile/compile';
import type { Calendar } from '../calendar/types';
import { CalendarRangeError } from '../calendar/statutory';
import type { Outcome, ReturnVia } from '../definition/types';
import { describeAjvErrorPlain } from '../definition/ajv';
import { holds } from '../expr/jsonLogic';
import { authorize, type Authority } from './authorize';
import { extraTimeLeft } from './effects';
import { fail } from './errors';
import { processMarkers, type MarkerAction } from './process';
import { HandoffTargetError, mapAnswers } from './handoff';
import type { UnitInfo } from '../delegation/types';
import { ruleScope } from './scope';
import type {
  ActionRequest,
  ActorRef,
  DossierSnapshot,
  EngineContext,
  EngineError,
  Result,
  StartInput,
  Transition,
} from './types';

const ref = (a: ActorRef): ActorRef => ({ id: a.id, name: a.name, kind: a.kind });

/**
 * The inert actor scope XState's pure `transition()` and `initialTransition()` build on every
 * call (`createInertActorScope`): an actor whose construction computes the machine's initial
 * snapshot, thrown away after one step. A compiled machine is immutable and its steps only
 * collect marker actions (no children, no delays, nothing the scope keeps), so one scope per
 * machine serves every call; only the collector of the step's actions is fresh. This is what
 * `transition()` does, less the throw-away actor (about a third of the engine's time per action).
 */
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self, defer: () => {}, id: '', logger: () => {}, sessionId: '', stopChild: () => {}, system: self.system, emit: () => {},
      actionExecutor: () => {},
    } as AnyActorScope;
    scopes.set(machine, scope);
  }
  return scope;
}

/** One pure step of a machine and the actions it would execute, as XState's `transition()`, on the machine's one scope. */
function step(machine: AnyStateMachine, run: (scope: AnyActorScope) => unknown): [{ value: unknown }, unknown[]] {
  const scope = scopeOf(machine);
  const actions: unknown[] = [];
  scope.actionExecutor = (action) => { actions.push(action); };
  try {
    return [run(scope) as { value: unknown }, actions];
  } finally {
    scope.actionExecutor = () => {};
  }
}

function inputIssues(errors: ErrorObject[] | null | undefined): EngineError['issues'] {
  // The desk shows each message under the field its pointer names: the words alone.
  return (errors ?? []).map(describeAjvErrorPlain);
}

/**
 * Starts a dossier: checks routing, channel and intake data, enters the initial step.
 * Pure: the id, the time and the actor come in; returns the first snapshot and event.
 */
export function start(proc: CompiledProcedure, input: StartInput, ctx: EngineContext): Result<Transition> {
  const def = proc.definition;
  const competent = input.competentUnit ?? input.receivingUnit;
  if (competent !== input.receivingUnit && !(input.nonGeographic ?? def.catalog.nonGeographic)) {
    return fail('START_INVALID', {
      vi: `Thủ tục ${def.catalog.code} không tiếp nhận phi địa giới: đơn vị tiếp nhận ${input.receivingUnit} phải là đơn vị có thẩm quyền ${competent}`,
      en: `Procedure ${def.catalog.code} is not open to non-geographic intake: receiving unit ${input.receivingUnit} must be the competent unit ${competent}`,
    });
  }
  if (def.catalog.channels && !def.catalog.channels.includes(input.channel)) {
    return fail('START_INVALID', {
      vi: `Thủ tục ${def.catalog.code} không nhận hồ sơ qua kênh "${input.channel}" (chỉ: ${def.catalog.channels.join(', ')})`,
      en: `Procedure ${def.catalog.code} does not accept channel "${input.channel}" (only: ${def.catalog.channels.join(', ')})`,
    });
  }
  const ways = def.catalog.resultReturn;
  if (input.returnVia && ways && !ways.includes(input.returnVia)) {
    return fail('START_INVALID', {
      vi: `Thủ tục ${def.catalog.code} không trả kết quả theo cách "${input.returnVia}" (chỉ: ${ways.join(', ')})`,
      en: `Procedure ${def.catalog.code} does not return its result by "${input.returnVia}" (only: ${ways.join(', ')})`,
    });
  }
  const data = input.data ?? {};
  if (proc.validateData && !proc.validateData(data)) {
    return fail('START_INVALID', { vi: 'Dữ liệu hồ sơ không hợp lệ', en: 'Dossier data is invalid' }, {
      issues: inputIssues(proc.validateData.errors),
    });
  }
  try {
    return { ok: true, value: startRecorded(proc, input, ctx.now, ref(ctx.actor), ctx.calendar, ctx.units) };
  } catch (e) {
    if (e instanceof HandoffTargetError) return { ok: false, error: e.error };
    throw e;
  }
}

/**
 * How the result goes back: as asked, else the way the dossier came in (online → online,
 * postal → post, else at the desk) when the procedure allows it, else its first allowed way —
 * a paper certified copy is never "returned online".
 */
function returnViaOf(ways: ReturnVia[] | undefined, input: StartInput): ReturnVia {
  if (input.returnVia) return input.returnVia;
  const byChannel: ReturnVia = input.channel === 'online' ? 'online' : input.channel === 'postal' ? 'post' : 'desk';
  return !ways || ways.length === 0 || ways.includes(byChannel) ? byChannel : ways[0]!;
}

/** Starts without checks: for replaying a recorded `dossier.started` event. */
export function startRecorded(
  proc: CompiledProcedure, input: StartInput, now: string, actor: ActorRef, calendar: Calendar, units?: { [code: string]: UnitInfo },
): Transition {
  const def = proc.definition;
  const receiving = input.receivingUnit;
  const draft: DossierSnapshot = {
    dossierId: input.dossierId,
    procedure: { id: def.id, version: def.version, code: def.catalog.code },
    version: 1,
    status: 'active',
    state: def.initial,
    active: [],
    channel: input.channel,
    routing: {
      receiving,
      competent: input.competentUnit ?? receiving,
      returnUnit: input.returnUnit ?? receiving,
      returnVia: returnViaOf(def.catalog.resultReturn, input),
    },
    applicant: { ...input.applicant },
    data: { ...(input.data ?? {}) },
    clock: {
      submittedAt: now, receivedAt: null, dueAt: null, originalDueAt: null,
      pausedAt: null, remainingMinutes: null, pausedMinutes: 0, extensions: 0,
      lawfulDueAt: null, lawfulRemainingMinutes: null, extraTimeDays: 0,
    },
    outcome: null,
    closedAt: null,
    links: {},
    supplementRounds: 0,
    ...(input.parameters ? { parameters: { ...input.parameters } } : {}),
  };
  const scope = ruleScope(draft, draft.data, {});
  const [next, markers] = step(proc.machine, (scope) => proc.machine.getInitialSnapshot(scope));
  draft.state = next.value as DossierSnapshot['state'];
  const { effects } = processMarkers(proc, draft, markers as unknown as MarkerAction[], { now, calendar, inputs: {}, scope, ...(units ? { units } : {}) });
  return {
    snapshot: draft,
    events: [{ type: 'dossier.started', seq: 1, at: now, actor, input: structuredClone(input) }],
    effects,
  };
}

/** Looks an action up among the active steps (or the global actions, step `*`). */
export function findAction(proc: CompiledProcedure, snapshot: DossierSnapshot, step: string, action: string): Result<ActionInfo> {
  const info = actionInfo(proc, step, action);
  if (!info) {
    return fail('ACTION_UNKNOWN', {
      vi: `Bước "${step}" không có thao tác "${action}"`,
      en: `Step "${step}" has no action "${action}"`,
    });
  }
  if (step !== GLOBAL_STEP && !snapshot.active.some((a) => a.step === step)) {
    return fail('ACTION_NOT_AVAILABLE', {
      vi: `Hồ sơ không ở bước "${step}" nên không thể "${action}" (đang ở: ${snapshot.active.map((a) => a.step).join(', ') || '—'})`,
      en: `The dossier is not at step "${step}", so "${action}" is not possible (now at: ${snapshot.active.map((a) => a.step).join(', ') || '—'})`,
    });
  }
  return { ok: true, value: info };
}

/** How a closed dossier ended, in words an officer reads. */
const OUTCOME_TEXT: { [k in Outcome]: { vi: string; en: string } } = {
  approved: { vi: 'đã giải quyết xong', en: 'granted' },
  rejected: { vi: 'không giải quyết', en: 'not granted' },
  refused: { vi: 'từ chối tiếp nhận', en: 'refused at intake' },
  withdrawn: { vi: 'công dân rút hồ sơ', en: 'withdrawn' },
  stopped: { vi: 'dừng xử lý', en: 'stopped' },
};

/** Checks that do not depend on who acts: closed, version, extension limit. */
export function checkDossier(proc: CompiledProcedure, snapshot: DossierSnapshot, info: ActionInfo | null, expectedVersion?: number): EngineError | null {
  if (snapshot.status === 'done') {
    return fail('DOSSIER_CLOSED', {
      vi: `Hồ sơ ${snapshot.dossierId} đã kết thúc${snapshot.outcome ? ` (${OUTCOME_TEXT[snapshot.outcome].vi})` : ''}, không thể thao tác thêm`,
      en: `Dossier ${snapshot.dossierId} is closed${snapshot.outcome ? ` (${OUTCOME_TEXT[snapshot.outcome].en})` : ''}; no further actions`,
    }).error;
  }
  if (expectedVersion !== undefined && expectedVersion !== snapshot.version) {
    return fail('DOSSIER_VERSION_CONFLICT', {
      vi: `Hồ sơ đã được người khác cập nhật (phiên bản ${snapshot.version}, bạn đang xem ${expectedVersion}); hãy tải lại`,
      en: `The dossier was changed by someone else (version ${snapshot.version}, you saw ${expectedVersion}); reload it`,
    }, { currentVersion: snapshot.version }).error;
  }
  if (info && grantsExtraTime(info)) {
    const extra = proc.definition.catalog.extraTime;
    const left = extraTimeLeft(proc.definition, snapshot);
    if (!extra || left <= 0) {
      return fail('ACTION_LIMIT_REACHED', {
        vi: extra
          ? `Hồ sơ đã được kéo dài hết thời gian luật cho phép (${extra.days} ngày làm việc, ${extra.basis})`
          : `Thủ tục ${proc.definition.catalog.code} không có thời gian kéo dài theo luật`,
        en: extra
          ? `The dossier already had all the extra time the law allows (${extra.days} working days, ${extra.basis})`
          : `Procedure ${proc.definition.catalog.code} grants no lawful extra time`,
      }).error;
    }
    if (snapshot.clock.receivedAt === null) {
      return fail('ACTION_NOT_AVAILABLE', {
        vi: 'Hồ sơ chưa được tiếp nhận nên chưa có hạn để kéo dài',
        en: 'The dossier is not accepted yet, so it has no deadline to lengthen',
      }).error;
    }
  }
  if (info && (info.def.intent === 'extend' || info.def.effects?.some((e) => e.type === 'extendDeadline'))) {
    const max = proc.definition.settings?.maxExtensions ?? 1;
    if (snapshot.clock.extensions >= max) {
      return fail('ACTION_LIMIT_REACHED', {
        vi: `Hồ sơ đã được gia hạn ${snapshot.clock.extensions} lần, tối đa ${max} lần`,
        en: `The appointment was already moved ${snapshot.clock.extensions} time(s); at most ${max}`,
      }).error;
    }
    if (snapshot.clock.receivedAt === null) {
      return fail('ACTION_NOT_AVAILABLE', {
        vi: 'Hồ sơ chưa được tiếp nhận nên chưa có hạn để gia hạn',
        en: 'The dossier is not accepted yet, so it has no deadline to extend',
      }).error;
    }
  }
  return null;
}

function grantsExtraTime(info: ActionInfo): boolean {
  return info.def.intent === 'extra-time' || (info.def.effects ?? []).some((e) => e.type === 'grantExtraTime');
}

/** Lawful extra time asked beyond what the law still allows is refused, naming the maximum and its basis. */
function checkExtraTimeAsked(proc: CompiledProcedure, snapshot: DossierSnapshot, info: ActionInfo, inputs: { [key: string]: unknown }): EngineError | null {
  const extra = proc.definition.catalog.extraTime;
  const days = inputs['days'];
  if (!extra || !grantsExtraTime(info) || typeof days !== 'number') return null;
  const left = extraTimeLeft(proc.definition, snapshot);
  if (days <= left) return null;
  return fail('ACTION_LIMIT_REACHED', {
    vi: `Chỉ được kéo dài thêm tối đa ${left} ngày làm việc (tổng ${extra.days} ngày theo ${extra.basis}, đã dùng ${snapshot.clock.extraTimeDays})`,
    en: `At most ${left} more working day(s) may be added (${extra.days} in all under ${extra.basis}, ${snapshot.clock.extraTimeDays} used)`,
  }, { issues: [{ path: '/days', message: { vi: `Tối đa ${left}`, en: `At most ${left}` } }] }).error;
}

/**
 * Applies an action: closed / version / availability / authority / inputs / guard checks,
 * then the XState transition, then effects and clock. Pure; returns a new snapshot.
 */
export function apply(proc: CompiledProcedure, snapshot: DossierSnapshot, req: ActionRequest, ctx: EngineContext): Result<Transition> {
  const early = checkDossier(proc, snapshot, null, req.expectedVersion);
  if (early) return { ok: false, error: early };
  const found = findAction(proc, snapshot, req.step, req.action);
  if (!found.ok) return found;
  const limits = checkDossier(proc, snapshot, found.value) ?? checkExtraTimeAsked(proc, snapshot, found.value, req.inputs ?? {});
  if (limits) return { ok: false, error: limits };
  const auth = authorize(found.value, snapshot, ctx, proc);
  if (!auth.ok) return auth;
  return applyRecorded(proc, snapshot, found.value, req.inputs ?? {}, {
    now: ctx.now, actor: ref(ctx.actor), calendar: ctx.calendar, ...(ctx.units ? { units: ctx.units } : {}),
  }, auth.value);
}

/**
 * An action whose new deadline falls past the years the working calendar knows (an apology
 * or extra time of a hundred thousand days): refused at the input that asked for it, as any
 * other bad input, rather than failing as an error of the system.
 */
function beyondCalendar(e: CalendarRangeError, inputs: { [key: string]: unknown }): { ok: false; error: EngineError } {
  const field = ['days', 'hours'].find((k) => typeof inputs[k] === 'number');
  const message = {
    vi: `Thời hạn mới vượt quá lịch làm việc (lịch chỉ tính được đến hết năm ${e.lastYear}); hãy nhập thời gian ngắn hơn`,
    en: `The new deadline falls beyond the working calendar (it runs to the end of ${e.lastYear}); enter a shorter time`,
  };
  return fail('ACTION_INPUT_INVALID', message, field ? { issues: [{ path: `/${field}`, message }] } : {});
}

/** Applies an authorised action (also used by replay, where authority is a recorded fact). */
export function applyRecorded(
  proc: CompiledProcedure,
  snapshot: DossierSnapshot,
  info: ActionInfo,
  inputs: { [key: string]: unknown },
  ctx: { now: string; actor: ActorRef; calendar: Calendar; units?: { [code: string]: UnitInfo } },
  auth: Authority,
): Result<Transition> {
  if (info.validateInputs && !info.validateInputs(inputs)) {
    return fail('ACTION_INPUT_INVALID', {
      vi: `Thông tin nhập cho thao tác "${info.def.label.vi}" chưa hợp lệ`,
      en: `Inputs for "${info.def.label.en ?? info.def.label.vi}" are invalid`,
    }, { issues: inputIssues(info.validateInputs.errors) });
  }
  // A linked dossier's answers (the system action of a hand-off step) land in the parent's
  // data before the guard and routes are evaluated, so both can read them.
  const handoff = info.role === 'system' ? proc.steps.get(info.step)?.def.handoff : undefined;
  const data = mapAnswers(handoff, mergeInputs(snapshot.data, inputs, info.mergeKeys), inputs);
  const scope = ruleScope(snapshot, data, inputs);
  if (!holds(info.def.guard, scope)) {
    return fail('ACTION_GUARD_FAILED', {
      vi: `Điều kiện của thao tác "${info.def.label.vi}" chưa thỏa mãn với dữ liệu hồ sơ`,
      en: `The condition of "${info.def.label.en ?? info.def.label.vi}" does not hold on the dossier data`,
    });
  }
  const resolved = proc.machine.resolveState({ value: snapshot.state, context: { scope } });
  const [next, executable] = step(proc.machine, (scope) => proc.machine.transition(resolved, { type: info.eventType }, scope));
  // Marker actions have no implementation: XState returns them unexecuted with their params.
  const markers = executable as unknown as MarkerAction[];
  if (!markers.some((m) => m.type === 'took')) {
    return fail('ACTION_GUARD_FAILED', {
      vi: `Không có hướng chuyển nào của thao tác "${info.def.label.vi}" phù hợp với dữ liệu hồ sơ`,
      en: `No route of "${info.def.label.en ?? info.def.label.vi}" matches the dossier data`,
    });
  }
  const draft: DossierSnapshot = {
    ...snapshot,
    version: snapshot.version + 1,
    state: next.value as DossierSnapshot['state'],
    data,
  };
  let processed: ReturnType<typeof processMarkers>;
  try {
    processed = processMarkers(proc, draft, markers, { now: ctx.now, calendar: ctx.calendar, inputs, scope, ...(ctx.units ? { units: ctx.units } : {}) });
  } catch (e) {
    if (e instanceof HandoffTargetError) return { ok: false, error: e.error };
    if (e instanceof CalendarRangeError) return beyondCalendar(e, inputs);
    throw e;
  }
  const { effects, from, to } = processed;
  return {
    ok: true,
    value: {
      snapshot: draft,
      events: [{
        type: 'action.applied',
        seq: draft.version,
        at: ctx.now,
        actor: ctx.actor,
        step: info.step,
        action: info.def.id,
        inputs: structuredClone(inputs),
        ...(auth.onBehalfOf ? { onBehalfOf: auth.onBehalfOf } : {}),
        ...(auth.delegationId ? { delegationId: auth.delegationId } : {}),
        ...(auth.capacity ? { capacity: structuredClone(auth.capacity) } : {}),
        from,
        to,
      }],
      effects,
    },
  };
}

function mergeInputs(
  data: { [key: string]: unknown },
  inputs: { [key: string]: unknown },
  keys: 'all' | ReadonlySet<string>,
): { [key: string]: unknown } {
  if (keys === 'all') return { ...data, ...inputs };
  if (keys.size === 0) return data;
  const out = { ...data };
  for (const k of Object.keys(inputs)) if (keys.has(k)) out[k] = inputs[k];
  return out;
}
