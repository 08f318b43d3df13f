/**
 * Plain parameterised SQL for the hot paths (a dossier action), beside Drizzle: building a
 * query with Drizzle costs more CPU than PostgreSQL spends running a small one. A query
 * goes through the very connection a Drizzle database or transaction uses — inside a
 * transaction it must (PGlite has one connection: a query beside an open transaction
 * waits for it forever). On node-postgres a named query is prepared once per connection.
 *
 * Rows come back as the driver parses them: select timestamps as `::text` to get what
 * Drizzle's `mode: 'string'` columns hold.
 */
import pg from 'pg';
import type { Db } from './client';

export interface RawQuery {
  /** A name for a prepared statement (node-postgres); one name, one text. */
  name?: string;
  text: string;
  values?: unknown[];
}

export interface Raw {
  query<T>(q: RawQuery): Promise<T[]>;
}

interface PgLike { query(config: pg.QueryConfig): Promise<{ rows: unknown[] }> }
interface PgliteLike { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }

const raws = new WeakMap<object, Raw>();

/** The raw executor behind a Drizzle database or transaction (node-postgres or PGlite). */
export function rawOf(db: Db): Raw {
  let raw = raws.get(db);
  if (raw) return raw;
  // Drizzle keeps its driver client on the session (internal, stable across 0.3x–0.4x).
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const c = client as unknown as PgLike;
    raw = { query: async <T>(q: RawQuery) => (await c.query({ ...(q.name ? { name: q.name } : {}), text: q.text, values: q.values ?? [] })).rows as T[] };
  } else if (client && typeof (client as PgliteLike).query === 'function') {
    const c = client as PgliteLike;
    raw = { query: async <T>(q: RawQuery) => (await c.query(q.text, q.values ?? [])).rows as T[] };
  } else {
    throw new Error('rawOf: not a Drizzle database over node-postgres or PGlite');
  }
  raws.set(db, raw);
  return raw;
}

const names = new Map<string, string>();

/** A stable prepared-statement name for a generated text (texts of a few shapes; unnamed past 500). */
export function statementName(prefix: string, text: string): string | undefined {
  const hit = names.get(text);
  if (hit) return hit;
  if (names.size >= 500) return undefined;
  const name = `${prefix}_${names.size}`;
  names.set(text, name);
  return name;
}

/**
 * `column as "key"` for each of Drizzle's columns (a table's `getTableColumns`, or a chosen
 * few), timestamps as `::text`: a raw statement's rows then read as Drizzle's would.
 */
export function selectList(columns: { [key: string]: { name: string; columnType: string } }, from?: string): string {
  const at = from ? `${from}.` : '';
  return Object.entries(columns).map(([key, c]) => `${at}${c.name}${c.columnType === 'PgTimestampString' ? '::text' : ''} as "${key}"`).join(', ');
}
