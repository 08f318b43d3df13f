import { createMachine, type AnyStateMachine } from 'xstate';
import type { ValidateFunction } from 'ajv';
import { schemaCompiler } from '../definition/ajv';
import { holds } from '../expr/jsonLogic';
import type {
  ActionDefinition,
  JsonLogicRule,
  ProcedureDefinition,
  RouteBranch,
  StepDefinition,
  UnitScope,
} from '../definition/types';

/** Where a step sits in the definition. */
export interface StepInfo {
  def: StepDefinition;
  /** Id of the enclosing parallel step, or null at top level. */
  parent: string | null;
  branch: string | null;
  /** JSON pointer of the step in the definition. */
  pointer: string;
  unit: UnitScope;
  topLevel: boolean;
}

export interface ActionInfo {
  /** Step id, or `*` for a global action. */
  step: string;
  def: ActionDefinition;
  /** Role allowed to take it (the action's, else the step's), null when none is set. */
  role: string | null;
  unit: UnitScope;
  eventType: string;
  validateInputs: ValidateFunction | null;
  /** Input keys merged into dossier data (form fields of the step, or all with `mergeInputs`). */
  mergeKeys: 'all' | ReadonlySet<string>;
  pointer: string;
}

/** A definition ready to run: the XState machine plus indexes the runtime needs. */
export interface CompiledProcedure {
  definition: ProcedureDefinition;
  machine: AnyStateMachine;
  steps: ReadonlyMap<string, StepInfo>;
  /** Keyed by `actionKey(step, action)`; global actions by `actionKey('*', action)`. */
  actions: ReadonlyMap<string, ActionInfo>;
  /** Validator of the intake data, null when the definition declares no `data` schema. */
  validateData: ValidateFunction | null;
  /** Role of the initial intake step: the desk that may record what the applicant hands in. */
  deskRole: string | null;
  /** Global actions every procedure has without declaring them (`reissueSlip`), beside the definition's own. */
  builtIns: readonly ActionDefinition[];
}

/** The built-in global action that issues a corrected slip naming the one it replaces. */
export const REISSUE_SLIP = 'reissueSlip';

/** Slips an officer may reissue with a correction (form 05 is a running record, never issued). */
export const REISSUABLE_SLIPS = ['receipt', 'supplement-request', 'refusal', 'apology', 'stop-notice', 'extra-time-notice'] as const;

const SLIP_LABELS: { [k in (typeof REISSUABLE_SLIPS)[number]]: string } = {
  receipt: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)',
  'supplement-request': 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)',
  refusal: 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ (mẫu 03)',
  apology: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)',
  'stop-notice': 'Thông báo dừng giải quyết hồ sơ',
  'extra-time-notice': 'Thông báo kéo dài thời gian giải quyết theo luật',
};

/**
 * `reissueSlip`: the desk corrects an issued slip. It moves nothing and merges nothing into the
 * dossier data; the action's history event (hash-chained) records which slip, why, and the
 * corrected applicant details or papers, and the server issues a new slip naming the one it
 * replaces. Offered to the role of the intake step; none when the procedure has no intake desk
 * or declares an action of that id itself.
 */
export function reissueSlipAction(deskRole: string): ActionDefinition {
  const text = (title: string) => ({ type: 'string', minLength: 1, maxLength: 500, title });
  return {
    id: REISSUE_SLIP,
    label: { vi: 'Cấp lại phiếu (đính chính)', en: 'Reissue a slip (correction)' },
    role: deskRole,
    intent: 'proceed',
    mergeInputs: false,
    inputs: {
      type: 'object',
      additionalProperties: false,
      required: ['slip', 'reason'],
      properties: {
        slip: { type: 'string', title: 'Phiếu cần cấp lại (Slip to reissue)', oneOf: REISSUABLE_SLIPS.map((k) => ({ const: k, title: SLIP_LABELS[k] })) },
        reason: { ...text('Lý do đính chính (Reason for the correction)'), maxLength: 1000 },
        applicantName: text('Họ tên người nộp đúng (Corrected applicant name)'),
        applicantAddress: text('Địa chỉ đúng (Corrected address)'),
        applicantPhone: { type: 'string', pattern: '^[0-9+ .()-]{6,20}$', title: 'Số điện thoại đúng (Corrected phone)' },
        documents: {
          type: 'array', minItems: 1, maxItems: 50, title: 'Thành phần hồ sơ đúng (Corrected list of papers)',
          items: text('Giấy tờ (mã trong danh mục hoặc tên)'),
        },
      },
    },
  };
}

/** Scope a JSON Logic rule sees: dossier data, the action's inputs, dossier facts. */
export interface RuleScope {
  data: { [key: string]: unknown };
  inputs: { [key: string]: unknown };
  dossier: { [key: string]: unknown };
}

/** Machine context: the rule scope of the event being processed (set when the state is resolved). */
export interface MachineContext {
  scope: RuleScope | null;
}

export const GLOBAL_STEP = '*';

/**
 * The key of an action in `CompiledProcedure.actions`: `step:action`, `*:action` for a
 * global one. Ids cannot contain ':' so this is unambiguous.
 */
export function actionKey(step: string, action: string): string {
  return `${step}:${action}`;
}

/** The XState event type of an action: its lookup key, so a machine event names its action. */
export const eventTypeOf: (step: string, action: string) => string = actionKey;

/** An action of a compiled procedure by step id (`*` for a global action) and action id. */
export function actionInfo(proc: Pick<CompiledProcedure, 'actions'>, step: string, action: string): ActionInfo | undefined {
  return proc.actions.get(actionKey(step, action));
}

/** Default unit scope of a step kind: intake at the receiving desk, return where the applicant collects, handling at the competent unit. */
export function defaultUnit(step: StepDefinition): UnitScope {
  if (step.unit) return step.unit;
  if (step.kind === 'intake') return 'receiving';
  if (step.kind === 'return-result') return 'return';
  return 'competent';
}

function formKeys(step: StepDefinition): ReadonlySet<string> {
  const form = step.form;
  if (form && typeof form === 'object' && form['properties'] && typeof form['properties'] === 'object') {
    return new Set(Object.keys(form['properties'] as object));
  }
  return new Set();
}

type TransitionConfig = {
  target?: string;
  reenter?: boolean;
  guard?: { type: 'rule'; params: { rule: JsonLogicRule } };
  actions: { type: string; params: { [key: string]: unknown } }[];
};

function routesOf(
  target: string | RouteBranch[] | undefined,
  from: string,
  took: TransitionConfig['actions'],
): TransitionConfig[] {
  if (target === undefined) return [{ actions: took }];
  const branches: RouteBranch[] = typeof target === 'string' ? [{ target }] : target;
  return branches.map((b) => ({
    target: `#${b.target}`,
    ...(b.target === from ? { reenter: true } : {}),
    ...(b.when !== undefined ? { guard: { type: 'rule' as const, params: { rule: b.when } } } : {}),
    actions: took,
  }));
}

/**
 * Compiles a definition that already passed validation into an XState machine; pure.
 * Guards on routes read the rule scope from the machine context; entry, exit and
 * transition actions are markers the runtime reads back from `transition()`.
 */
export function compileUnchecked(def: ProcedureDefinition): CompiledProcedure {
  const ajv = schemaCompiler();
  const steps = new Map<string, StepInfo>();
  const actions = new Map<string, ActionInfo>();

  const addAction = (stepId: string, step: StepDefinition | null, a: ActionDefinition, pointer: string): void => {
    const inputs = a.inputs;
    const hasInputs = inputs !== undefined && !(typeof inputs === 'object' && Object.keys(inputs).length === 0);
    actions.set(eventTypeOf(stepId, a.id), {
      step: stepId,
      def: a,
      role: a.role ?? step?.role ?? null,
      unit: step ? defaultUnit(step) : 'receiving',
      eventType: eventTypeOf(stepId, a.id),
      validateInputs: hasInputs ? ajv.compile(inputs as object) : null,
      mergeKeys: a.mergeInputs === true ? 'all' : a.mergeInputs === false || !step ? new Set() : formKeys(step),
      pointer,
    });
  };

  const stepNode = (step: StepDefinition, pointer: string, parent: string | null, branch: string | null): object => {
    steps.set(step.id, { def: step, parent, branch, pointer, unit: defaultUnit(step), topLevel: parent === null });
    const node: { [key: string]: unknown } = {
      id: step.id,
      entry: [{ type: 'entered', params: { step: step.id } }],
      exit: [{ type: 'exited', params: { step: step.id } }],
    };
    const on: { [event: string]: TransitionConfig[] } = {};
    (step.actions ?? []).forEach((a, i) => {
      addAction(step.id, step, a, `${pointer}/actions/${i}`);
      on[eventTypeOf(step.id, a.id)] = routesOf(a.target, step.id, [{ type: 'took', params: { step: step.id, action: a.id } }]);
    });
    node['on'] = on;
    if (step.kind === 'final') node['type'] = 'final';
    if (step.kind === 'parallel') {
      node['type'] = 'parallel';
      const regions: { [id: string]: object } = {};
      (step.branches ?? []).forEach((b, bi) => {
        const states: { [id: string]: object } = {};
        b.steps.forEach((s, si) => {
          states[s.id] = stepNode(s, `${pointer}/branches/${bi}/steps/${si}`, step.id, b.id);
        });
        regions[b.id] = { initial: b.initial, states };
      });
      node['states'] = regions;
      node['onDone'] = routesOf(step.next, step.id, [{ type: 'joined', params: { step: step.id } }]);
    }
    return node;
  };

  const states: { [id: string]: object } = {};
  def.steps.forEach((s, i) => {
    states[s.id] = stepNode(s, `/steps/${i}`, null, null);
  });
  const globalOn: { [event: string]: TransitionConfig[] } = {};
  (def.globalActions ?? []).forEach((a, i) => {
    addAction(GLOBAL_STEP, null, a, `/globalActions/${i}`);
    globalOn[eventTypeOf(GLOBAL_STEP, a.id)] = routesOf(a.target, GLOBAL_STEP, [{ type: 'took', params: { step: GLOBAL_STEP, action: a.id } }]);
  });
  const initial = steps.get(def.initial)?.def;
  const deskRole = initial?.kind === 'intake' ? (initial.role ?? null) : null;
  const builtIns: ActionDefinition[] = [];
  if (deskRole !== null && !(def.globalActions ?? []).some((a) => a.id === REISSUE_SLIP)) builtIns.push(reissueSlipAction(deskRole));
  for (const a of builtIns) {
    addAction(GLOBAL_STEP, null, a, `/builtIn/${a.id}`);
    globalOn[eventTypeOf(GLOBAL_STEP, a.id)] = routesOf(undefined, GLOBAL_STEP, [{ type: 'took', params: { step: GLOBAL_STEP, action: a.id } }]);
  }

  const machine = createMachine({
    id: def.id,
    initial: def.initial,
    context: { scope: null } as MachineContext,
    on: globalOn,
    states,
  } as never).provide({
    guards: {
      // Route conditions are JSON Logic on the scope of the action being applied.
      rule: ({ context }: { context: MachineContext }, params: { rule: JsonLogicRule }) => holds(params.rule, context.scope ?? {}),
    } as never,
  });

  const validateData = def.data !== undefined && typeof def.data === 'object' ? ajv.compile(def.data) : null;
  return { definition: def, machine, steps, actions, validateData, deskRole, builtIns };
}
