/**
 * Hand-offs whose unit is chosen at run time, and the answers linked dossiers send back.
 * Pure: the unit directory comes in as data (`EngineContext.units`, which the server fills
 * from its directory); without it (replay) the code the expression gives is taken as is —
 * the same data gives the same code, so replay needs no directory.
 */
import type { CompiledProcedure } from '../compile/compile';
import type { RuleScope } from '../compile/compile';
import type { UnitInfo } from '../delegation/types';
import { isUnitFromData, type Handoff, type JsonLogicRule } from '../definition/types';
import { evaluate } from '../expr/jsonLogic';
import { resolveUnit, ruleScope, setPath } from './scope';
import type { DossierSnapshot, EngineError } from './types';

/** Thrown while processing a transition whose hand-off unit cannot be resolved; `apply` turns it into a failed result. */
export class HandoffTargetError extends Error {
  constructor(readonly error: EngineError) {
    super(error.message.en);
    this.name = 'HandoffTargetError';
  }
}

/**
 * Where a rule's value comes from when it is a plain `{"var": "data.x.y"}` or `{"var": "inputs.x"}`:
 * a JSON pointer into the action's inputs (`/x`, also for a data field the action's inputs just
 * gave) or else into the dossier data (`/data/x/y`), so the desk is told which field to correct.
 */
export function pointerOfRule(rule: JsonLogicRule, inputs: { [key: string]: unknown } = {}): string {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return '';
  const v = (rule as { var?: unknown }).var;
  const path = Array.isArray(v) ? v[0] : v;
  if (typeof path !== 'string') return '';
  const [root, ...rest] = path.split('.');
  const tail = rest.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  if (root === 'inputs') return tail;
  if (root === 'data') return rest[0] !== undefined && Object.prototype.hasOwnProperty.call(inputs, rest[0]) ? tail : `/data${tail}`;
  return '';
}

/**
 * The unit code a hand-off goes to on this dossier now: a fixed unit, or the value of its
 * expression, which must be a unit of the directory (when given) of one of the kinds allowed.
 */
export function handoffTarget(
  handoff: Handoff, step: string, scope: RuleScope, routing: DossierSnapshot['routing'], units?: { [code: string]: UnitInfo },
): string {
  const target = handoff.unit;
  if (!isUnitFromData(target)) return resolveUnit(target, routing);
  const value = evaluate(target.expression, scope);
  const code = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  const path = pointerOfRule(target.expression, scope.inputs);
  const what = target.label ? ` (${target.label.vi})` : '';
  const whatEn = target.label ? ` (${target.label.en ?? target.label.vi})` : '';
  const refuse = (vi: string, en: string): never => {
    throw new HandoffTargetError({
      code: 'HANDOFF_UNIT_INVALID',
      message: { vi, en },
      issues: [{ path, message: { vi, en } }],
    });
  };
  if (code === '') {
    refuse(`Chưa xác định được đơn vị nhận liên thông của bước "${step}"${what}: dữ liệu hồ sơ chưa có mã đơn vị`,
      `The unit for the hand-off of step "${step}"${whatEn} cannot be determined: the dossier data gives no unit code`);
  }
  if (!units) return code;
  const unit = units[code];
  if (!unit) {
    refuse(`Không có đơn vị mã "${code}" trong danh mục đơn vị (đơn vị nhận liên thông của bước "${step}"${what})`,
      `No unit with code "${code}" in the unit directory (the hand-off unit of step "${step}"${whatEn})`);
  }
  const kinds = target.kinds;
  if (kinds && kinds.length > 0 && !kinds.includes(unit!.kind ?? '')) {
    refuse(`${unit!.name} (${code}) là đơn vị loại "${unit!.kind ?? '?'}", không nhận liên thông ở bước "${step}" (chỉ: ${kinds.join(', ')})`,
      `${unit!.name} (${code}) is a unit of kind "${unit!.kind ?? '?'}" and cannot receive the hand-off of step "${step}" (only: ${kinds.join(', ')})`);
  }
  return code;
}

/**
 * The values a dossier returns to its parent when it ends (its procedure's `outputs`),
 * evaluated on its data and facts; a value that is null or undefined is left out.
 */
export function outputsOf(proc: CompiledProcedure, snapshot: DossierSnapshot): { [name: string]: unknown } {
  const declared = proc.definition.outputs ?? {};
  const scope = ruleScope(snapshot, snapshot.data, {});
  const out: { [name: string]: unknown } = {};
  for (const [name, o] of Object.entries(declared)) {
    const v = evaluate(o.value, scope);
    if (v !== null && v !== undefined) out[name] = v;
  }
  return out;
}

/** The answers a system action of a hand-off step carries (`inputs.outputs`), as an object. */
export function answersIn(inputs: { [key: string]: unknown }): { [name: string]: unknown } | null {
  const o = inputs['outputs'];
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as { [name: string]: unknown }) : null;
}

/**
 * The parent's data with a linked dossier's answers written where the hand-off maps them
 * (`handoff.outputs`: field ← output name); an answer not given leaves its field alone.
 */
export function mapAnswers(handoff: Handoff | undefined, data: { [key: string]: unknown }, inputs: { [key: string]: unknown }): { [key: string]: unknown } {
  const answers = answersIn(inputs);
  if (!handoff?.outputs || !answers) return data;
  let out = data;
  for (const [field, name] of Object.entries(handoff.outputs)) {
    if (Object.prototype.hasOwnProperty.call(answers, name) && answers[name] !== undefined) out = setPath(out, field, answers[name]);
  }
  return out;
}
