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

/** Evaluates a rule against data; pure. Throws only on rules `checkRule` rejects. */
export function evaluate(rule: JsonLogicRule, data: unknown): unknown {
  return jsonLogic.apply(rule as never, data);
}

/** Truthiness as JSON Logic defines it (an empty array is false). */
export function holds(rule: JsonLogicRule | undefined, data: unknown): boolean {
  if (rule === undefined) return true;
  return jsonLogic.truthy(evaluate(rule, data));
}
