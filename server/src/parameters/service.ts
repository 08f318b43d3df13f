/**
 * Provincial parameters: who may set them, validation of a new value, and the values a dossier
 * records at intake. The SQL is in `repo.ts`.
 */
import type { ProcedureDefinition } from '@motcua/engine';
import type { Deps } from '../deps';
import type { Db, Tx } from '../db/client';
import type { AuthUser } from '../auth/service';
import { forbidden, notFound } from '../http/errors';
import { adminScope, conflict, invalidField, isRootAdmin, requireInScope } from '../admin/service';
import { isUniqueViolation } from '../db/errors';
import { insertParameter, listParameters, PROVINCE_SCOPE, valuesInForce, type ParameterRow } from './repo';

// What the catalog reads of the parameters (its publish gate, its public pages).
export { knownKeys, PROVINCE_SCOPE, valuesInForce } from './repo';

export interface ParameterView {
  id: string;
  key: string;
  scope: string;
  value: number;
  effectiveFrom: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

const view = (r: ParameterRow): ParameterView => ({
  id: r.id, key: r.key, scope: r.scope, value: r.value, effectiveFrom: new Date(r.effectiveFrom).toISOString(),
  note: r.note, createdBy: r.createdBy, createdAt: new Date(r.createdAt).toISOString(),
});

/** Keys of fees begin so (docs/parameters.md); their values are whole VND. */
const FEE_PREFIX = 'fee.';
/** The largest amount a payment holds (a PostgreSQL integer). */
const MAX_FEE = 2_147_483_647;

/** Parameter keys a definition uses (fees tied to a provincial parameter). */
export function parameterKeys(def: ProcedureDefinition): string[] {
  return [...new Set(def.catalog.fees.flatMap((f) => (f.param !== undefined ? [f.param] : [])))];
}

/** A unit, its ancestors, then the province scope: where a value for the unit is looked for. */
export async function scopeChain(deps: Deps, unit: string): Promise<string[]> {
  const chain: string[] = [];
  let cur = await deps.directory.unit(unit);
  for (let i = 0; cur && i < 20; i++) {
    chain.push(cur.code);
    cur = cur.parent ? await deps.directory.unit(cur.parent) : null;
  }
  return [...chain, PROVINCE_SCOPE];
}

/**
 * The values a dossier records when received: those in force for its competent unit now.
 * Undefined when the procedure uses no parameter, so its snapshot keeps its old shape.
 */
export async function parametersForIntake(deps: Deps, tx: Db | Tx, def: ProcedureDefinition, unit: string, now: Date): Promise<{ parameters: { [key: string]: number } } | Record<string, never>> {
  const keys = parameterKeys(def);
  if (keys.length === 0) return {};
  return { parameters: await valuesInForce(tx, keys, await scopeChain(deps, unit), now) };
}

export async function listValues(deps: Deps, key?: string): Promise<ParameterView[]> {
  return (await listParameters(deps.db, key)).map(view);
}

/** The value of each key in force for a unit at an instant (default now), with the scope it comes from. */
export async function inForce(deps: Deps, unit: string, keys: string[], at: Date): Promise<{ [key: string]: number }> {
  if (!(await deps.directory.unit(unit))) throw notFound({ vi: 'đơn vị', en: 'unit' }, unit);
  return valuesInForce(deps.db, keys, await scopeChain(deps, unit), at);
}

/**
 * Sets a value from a date. Only the future (or now): dossiers already received keep the values
 * recorded then, so a backdated value would say something that never applied. A province-wide
 * value is for a province administrator; a unit's for its administrators.
 */
export async function setValue(
  deps: Deps, user: AuthUser, body: { key: string; scope: string; value: number; effectiveFrom?: string; note?: string },
): Promise<ParameterView> {
  if (body.scope === PROVINCE_SCOPE) {
    if (!(await isRootAdmin(deps, user))) {
      throw forbidden({ vi: 'Chỉ quản trị viên cấp tỉnh được đặt tham số áp dụng toàn tỉnh', en: 'Only a province administrator may set a province-wide parameter' });
    }
  } else {
    if (!(await deps.directory.unit(body.scope))) throw notFound({ vi: 'đơn vị', en: 'unit' }, body.scope);
    requireInScope(await adminScope(deps, user), [body.scope]);
  }
  const now = deps.clock.now();
  const from = body.effectiveFrom === undefined ? now : new Date(body.effectiveFrom);
  if (Number.isNaN(from.getTime()) || from.getTime() < now.getTime() - 60_000) {
    throw invalidField('PARAMETER_BACKDATED', '/effectiveFrom',
      'Ngày hiệu lực không được ở quá khứ: hồ sơ đã tiếp nhận giữ giá trị đã ghi khi tiếp nhận',
      'The effective date may not be in the past: dossiers already received keep the values recorded then');
  }
  if (!Number.isFinite(body.value) || body.value < 0) {
    throw invalidField('PARAMETER_INVALID', '/value', 'Giá trị phải là số không âm', 'The value must be a non-negative number');
  }
  // A fee replaces a definition's `amount`, whole VND, and a payment stores it in an integer column:
  // 8000.5 or 1e308 would pass here and fail (500) when a citizen pays.
  if (body.key.startsWith(FEE_PREFIX) && (!Number.isInteger(body.value) || body.value > MAX_FEE)) {
    throw invalidField('PARAMETER_FEE_INVALID', '/value', `Mức phí là số nguyên đồng, từ 0 đến ${MAX_FEE.toLocaleString('vi-VN')}`,
      `A fee is whole VND, from 0 to ${MAX_FEE.toLocaleString('en-US')}`);
  }
  // The minute allowed above is for a screen's clock running behind, not a start in the past:
  // a dossier received in that minute recorded the value before, so the new one starts now.
  const effective = from.getTime() < now.getTime() ? now : from;
  try {
    const row = await insertParameter(deps.db, {
      key: body.key, scope: body.scope, value: body.value, effectiveFrom: effective.toISOString(), note: body.note ?? null, createdBy: user.id,
    });
    return view(row);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw conflict('PARAMETER_EXISTS', `Tham số "${body.key}" đã có giá trị cho phạm vi này từ đúng thời điểm đó`,
      `Parameter "${body.key}" already has a value for this scope from exactly that instant`);
  }
}
