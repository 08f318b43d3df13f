/**
 * Runs inside a bench server process: records the SQL statements the server sends to
 * PostgreSQL while a capture is on (text, values, prepared-statement name), so the bench can
 * replay exactly those statements with pgbench. Patches `pg.Client.prototype.query`, which
 * every pool query goes through; nothing else changes.
 */
import pg from 'pg';

export interface CapturedStatement {
  text: string;
  /** Parameter values as the driver received them (before its own serialisation). */
  values: unknown[];
  name: string | null;
  /** Which connection of the process sent it (1, 2, …): a statement sent on another connection while a transaction is open is not part of it. */
  connection: number;
}

const connections = new WeakMap<object, number>();
let lastConnection = 0;
const connectionOf = (client: object): number => {
  const n = connections.get(client) ?? ++lastConnection;
  connections.set(client, n);
  return n;
};

let capturing: CapturedStatement[] | null = null;
let installed = false;

/** Installs the hook once; `start()` begins a capture, `stop()` ends it and returns the statements. */
export function sqlCapture(): { start(): void; stop(): CapturedStatement[] } {
  if (!installed) {
    installed = true;
    const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function patched(this: unknown, ...args: unknown[]) {
      if (capturing) {
        const [first, second] = args;
        const connection = connectionOf(this as object);
        if (typeof first === 'string') capturing.push({ text: first, values: Array.isArray(second) ? [...second] : [], name: null, connection });
        else if (first && typeof first === 'object' && typeof (first as { text?: unknown }).text === 'string') {
          const q = first as { text: string; values?: unknown[]; name?: string };
          capturing.push({ text: q.text, values: [...(q.values ?? (Array.isArray(second) ? second : []))], name: q.name ?? null, connection });
        }
      }
      return original.apply(this, args);
    };
  }
  return {
    start: () => { capturing = []; },
    stop: () => {
      const out = capturing ?? [];
      capturing = null;
      return out;
    },
  };
}
