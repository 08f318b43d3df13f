/**
 * What "nothing changed" means in the security suites: a digest of every table's rows, taken
 * before a batch of refused requests and compared after it. The throttles' own tables are left
 * out: counting a refused attempt is their job.
 */
import { sql } from 'drizzle-orm';
import type { Harness } from '../../../server/test/support/harness';

/** What both drivers (node-postgres, PGlite) answer a raw query with. */
interface Rows<T> { rows: T[] }

const THROTTLES = new Set(['rate_limits', 'login_failures']);

/** Table name → md5 of its rows (as text, sorted), for every table of the public schema but the throttles. */
export async function digest(h: Harness): Promise<Record<string, string>> {
  const res = await h.deps.db.execute(sql`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`) as unknown as Rows<{ t: string }>;
  const names = res.rows.map((r) => r.t).filter((t) => !THROTTLES.has(t) && !t.startsWith('__drizzle'));
  const out: Record<string, string> = {};
  for (const t of names) {
    const r = await h.deps.db.execute(sql.raw(`select coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as d from "${t}" x`)) as unknown as Rows<{ d: string }>;
    out[t] = r.rows[0]!.d;
  }
  return out;
}

/** The tables whose rows differ between two digests. */
export function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]).sort();
}
