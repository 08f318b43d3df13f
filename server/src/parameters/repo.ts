/**
 * Provincial parameters (docs/parameters.md): values a province sets (fees decided by the
 * provincial council, …) per scope ('*' for the whole province, or a unit code) from an
 * effective date. The value in force for a unit at an instant is the latest one effective by
 * then, from the nearest scope: the unit, then its ancestors, then '*'.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { parameters } from '../db/schema';
import { rawOf } from '../db/raw';

export type ParameterRow = typeof parameters.$inferSelect;
type DbLike = Db | Tx;

/** The province-wide scope. */
export const PROVINCE_SCOPE = '*';

/** Every value of a key (or of all keys), oldest first per key and scope. */
export async function listParameters(db: DbLike, key?: string): Promise<ParameterRow[]> {
  return db.select().from(parameters)
    .where(key === undefined ? undefined : eq(parameters.key, key))
    .orderBy(asc(parameters.key), asc(parameters.scope), asc(parameters.effectiveFrom));
}

/** Records a value from a date; a new row, never an update (what applied before stays on record). */
export async function insertParameter(db: DbLike, row: Omit<ParameterRow, 'id' | 'createdAt'>): Promise<ParameterRow> {
  const [saved] = await db.insert(parameters).values({ id: randomUUID(), ...row }).returning();
  if (!saved) throw new Error('insert returned no row');
  return saved;
}

/** Keys that have at least one value in some scope. */
export async function knownKeys(db: DbLike, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectDistinct({ key: parameters.key }).from(parameters).where(inArray(parameters.key, keys));
  return new Set(rows.map((r) => r.key));
}

/**
 * The values in force at `at` for a scope chain (nearest first, e.g. [commune, province unit,
 * '*']): per key, the nearest scope that has a value effective by then, its latest one.
 */
export async function valuesInForce(db: DbLike, keys: string[], chain: string[], at: Date): Promise<{ [key: string]: number }> {
  if (keys.length === 0 || chain.length === 0) return {};
  // Prepared: every intake of a procedure with provincial fees asks.
  const rows = await rawOf(db as Db).query<{ key: string; scope: string; value: number; effectiveFrom: string }>({
    name: 'motcua_parameters_in_force',
    text: `select key, scope, value, effective_from::text as "effectiveFrom" from parameters
      where key = any($1::text[]) and scope = any($2::text[]) and effective_from <= $3::timestamptz`,
    values: [keys, chain, at.toISOString()],
  });
  const out: { [key: string]: number } = {};
  for (const key of keys) {
    for (const scope of chain) {
      const latest = rows.filter((r) => r.key === key && r.scope === scope)
        .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom))[0];
      if (latest) {
        out[key] = latest.value;
        break;
      }
    }
  }
  return out;
}
