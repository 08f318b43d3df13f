import jsonLogic from 'json-logic-js';
import type { JsonLogicRule, LocalizedText } from '../definition/types';

/** Operators of standard JSON Logic that json-logic-js implements. */
const OPERATORS = new Set([
  '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', '%', 'and', 'or', 'if', '?:',
  'log', 'in', 'cat', 'substr', '+', '-', '*', '/', 'min', 'max', 'merge', 'var', 'missing',
  'missing_some', 'map', 'filter', 'reduce', 'all', 'none', 'some',
]);
// `log` writes to the console: not allowed in a pure engine.
const FORBIDDEN = new Set(['log']);

export interface RuleProblem {
  /** JSON pointer relative to the rule's root. */
  path: string;
  message: LocalizedText;
}

/** Deeper rules are refused: nobody writes them by hand, and evaluating them could exhaust the stack. */
export const MAX_RULE_DEPTH = 64;

/** Checks that a rule only uses known operators and is not absurdly deep; pure, never throws. */
export function checkRule(rule: unknown, path = '', depth = 0): RuleProblem[] {
  if (rule === null || typeof rule !== 'object') return [];
  if (depth >= MAX_RULE_DEPTH) {
    return [{
      path,
      message: {
        vi: `Biểu thức điều kiện lồng nhau quá ${MAX_RULE_DEPTH} mức`,
        en: `A condition is nested more than ${MAX_RULE_DEPTH} levels deep`,
      },
    }];
  }
  if (Array.isArray(rule)) return rule.flatMap((item, i) => checkRule(item, `${path}/${i}`, depth + 1));
  const keys = Object.keys(rule);
  if (keys.length !== 1) {
    return [{
      path,
      message: {
        vi: `Biểu thức điều kiện phải là một đối tượng có đúng một toán tử (có ${keys.length})`,
        en: `A condition must be an object with exactly one operator (found ${keys.length})`,
      },
    }];
  }
  const op = keys[0] as string;
  const escaped = op.replace(/~/g, '~0').replace(/\//g, '~1');
  if (!OPERATORS.has(op) || FORBIDDEN.has(op)) {
    return [{
      path: `${path}/${escaped}`,
      message: {
        vi: `Toán tử "${op}" không được hỗ trợ trong biểu thức điều kiện`,
        en: `Operator "${op}" is not supported in conditions`,
      },
    }];
  }
  return checkRule((rule as { [k: string]: unknown })[op], `${path}/${escaped}`, depth + 1);
}

/**
 * Sub-rules one evaluation applies at most. The shipped procedures' largest (a fee summing
 * the copies of every listed paper) takes a few hundred; json-logic-js applies about ten
 * million a second, so this is ~10 ms of the main thread.
 */
export const MAX_RULE_STEPS = 100_000;
/**
 * The size of any value one evaluation builds, in about characters of its JSON (a shared
 * part counted each time it appears, as JSON writes it). Above the largest dossier data a
 * request body can carry (1 MB), so reading the data whole never reaches it.
 */
export const MAX_RULE_VALUE = 4_000_000;

/**
 * A procedure's expression that needs more work or builds a larger value than one evaluation
 * may: nested `map`s over lists multiply their steps, a `reduce` repeating its accumulator
 * doubles its value each turn. Nothing is changed (the caller's transaction rolls back).
 */
export class RuleTooCostly extends Error {
  readonly code = 'RULE_TOO_COSTLY';
  readonly messages: LocalizedText = {
    vi: `Một biểu thức của quy trình cần quá nhiều tính toán (quá ${MAX_RULE_STEPS.toLocaleString('vi-VN')} bước) hoặc tạo ra giá trị quá lớn: hãy báo người thiết kế quy trình sửa lại`,
    en: `An expression of the procedure needs too much work (over ${MAX_RULE_STEPS.toLocaleString('en')} steps) or builds too large a value: ask the procedure's designer to fix it`,
  };

  constructor(readonly reason: 'steps' | 'size') {
    super(`JSON Logic evaluation stopped: too many ${reason === 'steps' ? 'steps' : 'characters in a value'}`);
    this.name = 'RuleTooCostly';
  }
}

/** The budget of the evaluation under way (evaluations are synchronous: one at a time). */
let budget: { steps: number; sizes: WeakMap<object, number> } | null = null;

/** About the characters of `v` as JSON, each object weighed once per evaluation; stops counting past the limit. */
function weigh(v: unknown, sizes: WeakMap<object, number>): number {
  if (typeof v === 'string') return v.length + 2;
  if (v === null || typeof v !== 'object') return 1;
  const known = sizes.get(v);
  if (known !== undefined) return known;
  let w = 2;
  if (Array.isArray(v)) {
    for (const x of v as unknown[]) if ((w += weigh(x, sizes) + 1) > MAX_RULE_VALUE) break;
  } else {
    for (const [k, x] of Object.entries(v)) if ((w += k.length + weigh(x, sizes) + 4) > MAX_RULE_VALUE) break;
  }
  sizes.set(v, w);
  return w;
}

type Apply = (logic: unknown, data: unknown) => unknown;
const plainApply = jsonLogic.apply as Apply;
// json-logic-js applies every sub-rule through `jsonLogic.apply` (map, reduce and the
// rest included): counted here, each result weighed, while an evaluation of ours runs.
(jsonLogic as unknown as { apply: Apply }).apply = (logic, data) => {
  const b = budget;
  if (b === null) return plainApply(logic, data);
  if (++b.steps > MAX_RULE_STEPS) throw new RuleTooCostly('steps');
  const out = plainApply(logic, data);
  if (typeof out === 'object' || typeof out === 'string') {
    if (weigh(out, b.sizes) > MAX_RULE_VALUE) throw new RuleTooCostly('size');
  }
  return out;
};

/**
 * Evaluates a rule against data; pure. Throws on rules `checkRule` rejects, and
 * `RuleTooCostly` past `MAX_RULE_STEPS` steps or a value larger than `MAX_RULE_VALUE`.
 */
export function evaluate(rule: JsonLogicRule, data: unknown): unknown {
  if (budget !== null) return jsonLogic.apply(rule as never, data);
  budget = { steps: 0, sizes: new WeakMap() };
  try {
    return jsonLogic.apply(rule as never, data);
  } finally {
    budget = null;
  }
}

/** Truthiness as JSON Logic defines it (an empty array is false). */
export function holds(rule: JsonLogicRule | undefined, data: unknown): boolean {
  if (rule === undefined) return true;
  return jsonLogic.truthy(evaluate(rule, data));
}
