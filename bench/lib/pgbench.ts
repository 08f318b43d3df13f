/**
 * The database's ceiling for a server benchmark: `pgbench` (prepared statements, the same
 * number of clients as the load) replaying the very SQL statements the server sent for one
 * action, captured from the server (`capture.ts`), never written by hand.
 *
 * Values are the captured ones, passed as parameters (`-D` variables), except those that a
 * replay must vary to stay a real write: the dossier's id (one dossier per pgbench client, or
 * a fresh id per intake), its version and event numbers (so the optimistic version check
 * matches and no event key repeats) and the outbox event ids (unique).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CapturedStatement } from './capture';

const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(v: unknown): unknown };

export const PGBENCH_MISSING = 'pgbench not found. It ships with PostgreSQL (Debian/Ubuntu: the postgresql-<version> package, '
  + 'e.g. `apt-get install postgresql-15`; elsewhere postgresql-contrib or the PostgreSQL binaries); '
  + 'or point PGBENCH at the binary. Without it the benchmark cannot measure its ceiling.';

/** The pgbench binary: $PGBENCH, else PostgreSQL's own bin folders (newest first), else PATH; null when none runs. */
export function findPgbench(): string | null {
  const candidates: string[] = [];
  if (process.env['PGBENCH']) candidates.push(process.env['PGBENCH']);
  const lib = '/usr/lib/postgresql';
  if (existsSync(lib)) {
    for (const v of readdirSync(lib).sort((a, b) => Number(b) - Number(a))) candidates.push(join(lib, v, 'bin', 'pgbench'));
  }
  candidates.push('pgbench');
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The statements of one server action, and what the replay must vary. */
export interface ActionCapture {
  label: string;
  /** The dossier the action worked on (created, for an intake). */
  dossierId: string;
  /** The dossier's version before the action; null for an intake. */
  versionBefore: number | null;
  statements: CapturedStatement[];
}

export interface Script { file: string; label: string; defines: Map<string, string> }

const serialise = (v: unknown): string => {
  const p = pgUtils.prepareValue(v);
  return typeof p === 'string' ? p : String(p);
};

/** Parameter numbers in `text` with a role: the row's version check, the new version, event sequence numbers. */
function roles(text: string): Map<number, 'versionBefore' | 'versionNew' | 'seq'> {
  const out = new Map<number, 'versionBefore' | 'versionNew' | 'seq'>();
  const check = /\bwhere id = \$(\d+)::text and version = \$(\d+)::int/.exec(text);
  if (check) out.set(Number(check[2]), 'versionBefore');
  const set = /update dossiers set [^]*?\bversion = \$(\d+)::int/.exec(text);
  if (set) out.set(Number(set[1]), 'versionNew');
  const events = /insert into dossier_events[^]*?\(values ([^]*?)\) v\)/.exec(text);
  if (events) for (const m of (events[1] ?? '').matchAll(/\(\$(\d+)::int/g)) out.set(Number(m[1]), 'seq');
  return out;
}

/**
 * A pgbench script replaying one captured action. Non-intake scripts work on the client's
 * own dossier `:did` (seeded by `seedClientDossiers`) at version `:v`, which they advance.
 */
export function scriptFor(capture: ActionCapture, index: number, dir: string): Script {
  const defines = new Map<string, string>();
  const intake = capture.versionBefore === null;
  const before = capture.versionBefore ?? 0;
  const lines = [
    `-- ${capture.label}: ${capture.statements.length} statements captured from the server`,
    '\\set n :n + 1',
    intake ? '\\set did 3000000000000 + :client_id * 100000000 + :n' : '\\set did 2000000000000 + :client_id',
    '\\set v1 :v + 1', '\\set v2 :v + 2', '\\set v3 :v + 3',
    '\\set u0 4000000000000 + :client_id * 100000000 + :n * 16',
  ];
  let unique = 0;
  let advance = 0;
  // A statement the server sent on another connection while a transaction was open (a
  // dossier's number, taken outside the intake's transaction) is no part of it: pgbench has one
  // connection per client, so it goes before the transaction's `begin`, on its own.
  let open: { connection: number; line: number } | null = null;
  capture.statements.forEach((st, s) => {
    const word = st.text.trim().toLowerCase();
    const outside = open !== null && st.connection !== open.connection;
    const first = lines.length;
    const role = roles(st.text);
    const text = st.text.replace(/\$(\d+)/g, (_m, d: string) => {
      const i = Number(d);
      const value = st.values[i - 1];
      const r = role.get(i);
      if (!intake && r === 'versionBefore') return ':v';
      if (!intake && (r === 'versionNew' || r === 'seq') && typeof value === 'number' && value > before && value - before <= 3) {
        advance = Math.max(advance, value - before);
        return `:v${value - before}`;
      }
      if (value === null || value === undefined) return 'NULL';
      if (value === capture.dossierId) return ':did';
      if (typeof value === 'string' && value.startsWith(`${capture.dossierId}#`)) {
        // An outbox event id: unique per replay.
        const name = `u${index}_${unique++}`;
        lines.push(`\\set ${name} :u0 + ${unique}`);
        return `:${name}`;
      }
      const name = `k${index}_${s}_${i}`;
      defines.set(name, serialise(value));
      return `:${name}`;
    });
    lines.push(`${text.trim().replace(/;$/, '')};`);
    if (outside && open) {
      // Moved before the `begin`, with the \set lines it brought.
      const moved = lines.splice(first);
      lines.splice(open.line, 0, ...moved);
      open.line += moved.length;
    }
    if (word === 'begin' || word.startsWith('begin ')) open = { connection: st.connection, line: lines.length - 1 };
    else if (word === 'commit' || word === 'rollback') open = null;
  });
  if (!intake) lines.push(`\\set v :v + ${advance || 1}`);
  const file = join(dir, `action-${index}.sql`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, label: capture.label, defines };
}

export interface PgbenchResult { tps: number; latencyAvgMs: number; transactions: number; failed: number; clients: number; seconds: number; output: string }

/** Runs pgbench over the scripts (equal weights), prepared, `clients` connections; throws with pgbench's output on failure. */
export function runPgbench(bin: string, url: string, scripts: Script[], options: { clients: number; seconds: number; threads?: number; vars?: { [k: string]: string } }): Promise<PgbenchResult> {
  const args = ['-n', '-M', 'prepared', '-c', String(options.clients), '-j', String(options.threads ?? 2), '-T', String(options.seconds)];
  for (const [k, v] of Object.entries({ n: '0', v: '1', ...(options.vars ?? {}) })) args.push('-D', `${k}=${v}`);
  for (const s of scripts) {
    for (const [k, v] of s.defines) args.push('-D', `${k}=${v}`);
    args.push('-f', `${s.file}@1`);
  }
  args.push(url);
  // Kept scripts come with the command that replays them (the captured values are -D arguments).
  const keep = process.env['PGBENCH_KEEP_SCRIPTS'];
  if (keep) writeFileSync(join(keep, 'pgbench.args.json'), `${JSON.stringify([bin, ...args], null, 1)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1] ?? NaN);
      const processed = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1] ?? NaN);
      const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
      const latency = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? NaN);
      if (code !== 0 || !Number.isFinite(tps) || /aborted/.test(output)) reject(new Error(`pgbench failed (exit ${code}):\n${output.slice(-3000)}`));
      else resolve({ tps: Math.round(tps), latencyAvgMs: latency, transactions: processed, failed, clients: options.clients, seconds: options.seconds, output });
    });
  });
}

/** A temporary folder for scripts, removed by the returned function; PGBENCH_KEEP_SCRIPTS=<dir> keeps them there to read. */
export function scriptDir(): { dir: string; remove(): void } {
  const keep = process.env['PGBENCH_KEEP_SCRIPTS'];
  if (keep) {
    mkdirSync(keep, { recursive: true });
    return { dir: keep, remove: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'motcua-pgbench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One dossier per pgbench client (ids `2000000000000 + client`), copies of the captured
 * dossier at version 1, so non-intake scripts update a real row with a matching version.
 */
export async function seedClientDossiers(client: { query(text: string, values?: unknown[]): Promise<unknown> }, from: string, clients: number): Promise<void> {
  await client.query(`insert into dossiers
    select (jsonb_populate_record(null::dossiers, to_jsonb(d) || jsonb_build_object('id', (2000000000000 + c)::text, 'version', 1))).*
    from dossiers d, generate_series(0, $2::int - 1) c where d.id = $1
    on conflict (id) do nothing`, [from, clients]);
}
