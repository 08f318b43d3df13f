/**
 * Reconciliation: asks the portal's query service what it holds of each dossier motcua sent
 * it and compares it with motcua's own latest record, whole: every field the mapper produces,
 * nested lists included (papers, fees, supplement rounds, extensions and apologies, results),
 * and the progress entries when the portal lists them. Each difference is named by its JSON
 * pointer (`/TaiLieuNop/0/MaBam`, `/QuaTrinhXuLy/3`); what differs is sent again (its delivery
 * goes back to pending: the outbox sends it, in order, and the portal counts the event once).
 * Run on a schedule (../jobs.ts) and on demand (POST /api/portal/connections/:id/reconcile).
 *
 * The comparison is canonical: the portal's answer is first read the way motcua's schema types
 * each field (./schema.ts), so key order, a number sent as a string ("3000", "2" — public
 * clients of the portal send every value as a string), a boolean as "1"/"0", a date as
 * `dd/MM/yyyy HH:mm:ss` or ISO 8601 instead of `yyyyMMddHHmmss`, and an empty value left out
 * are not differences; then the two are hashed (SHA-256 of the RFC 8785 canonical JSON).
 * Fields the portal adds of its own are not motcua's to correct and are ignored.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Deps } from '../../deps';
import { DELIVERY_POLICY } from '../policy';
import { PortalDown, queryPortal, recordBuilder, statusTable, type PortalSendOptions } from './adapter';
import type { ProgressEntry, SyncRecord } from './record';
import type { FIELD_NAMES } from './names';
import { PORTAL_DATE_PATTERN, PROGRESS_SCHEMA, SYNC_RECORD_SCHEMA } from './schema';
import { eventIdsOf, latestDeliveries, resend, settledDeliveriesOf, subscriptionSecret, type ConnectionRow } from './repo';

/** Where the portal's query answer lists the progress entries it holds of a dossier (our guess: README, "Sources"). */
export const PROGRESS_LIST = 'QuaTrinhXuLy' satisfies keyof typeof FIELD_NAMES;

/** At most this many differences are reported per dossier (one is enough to send it again). */
const MAX_PER_DOSSIER = 50;

/** SHA-256 of a record's RFC 8785 canonical JSON: two records are the same when their hashes are. */
export function recordHash(record: unknown): string {
  return createHash('sha256').update(canonicalize(record) ?? '').digest('hex');
}

export type Schema = { type?: string; pattern?: string; properties?: Record<string, Schema>; items?: Schema };

/** RFC 6901: `~` and `/` in a key are escaped. */
const pointer = (parts: readonly (string | number)[]): string => parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

const pad = (n: string | undefined, w = 2): string => (n ?? '0').padStart(w, '0');

/**
 * A date as the portal may answer it, in the portal's own form (`yyyyMMddHHmmss`, Viet Nam
 * time); null when it is none of the forms below. Forms without a zone are Viet Nam time.
 */
export function asPortalDate(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (/^\d{14}$/.test(s)) return s;
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return `${m[3]}${pad(m[2])}${pad(m[1])}${pad(m[4])}${pad(m[5])}${pad(m[6])}`;
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  if (!m[8]) return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${pad(m[6])}`;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The portal's value read as motcua's schema types it (see the module comment): what cannot
 * be read so stays as it is, and so differs.
 */
export function canonicalAs(schema: Schema, v: unknown): unknown {
  switch (schema.type) {
    case 'object': {
      if (v === null || v === undefined) return v;
      if (typeof v !== 'object' || Array.isArray(v)) return v;
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) out[k] = canonicalAs(s, o[k]);
      return out;
    }
    case 'array':
      if (v === null || v === undefined) return [];
      return Array.isArray(v) ? v.map((x) => canonicalAs(schema.items ?? {}, x)) : v;
    case 'integer':
    case 'number':
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return v;
    case 'boolean':
      if (v === 1 || v === '1' || v === 'true' || v === 'True') return true;
      if (v === 0 || v === '0' || v === 'false' || v === 'False') return false;
      return v;
    case 'string':
      if (schema.pattern === PORTAL_DATE_PATTERN) return asPortalDate(v) ?? v;
      if (v === null || v === undefined) return '';
      return typeof v === 'number' ? String(v) : v;
    default:
      return v;
  }
}

/** The keys that identify an item of a list: the portal's list is matched to motcua's by them, not by position. */
const ITEM_IDS = ['MaSuKien', 'TepDinhKemId', 'MaPhiLePhi', 'HoSoBoSungId', 'GiayToId'] as const;

const idOf = (x: unknown): string | null => {
  if (!x || typeof x !== 'object') return null;
  for (const k of ITEM_IDS) {
    const v = (x as Record<string, unknown>)[k];
    if (typeof v === 'string' && v) return `${k}=${v}`;
  }
  return null;
};

/** The portal's list in motcua's order where items carry an id (those motcua has not, after). */
function aligned(theirs: unknown[], mine: unknown[]): unknown[] {
  const ids = mine.map(idOf);
  if (ids.some((x) => x === null)) return theirs;
  const byId = new Map<string, unknown>();
  const rest: unknown[] = [];
  for (const t of theirs) {
    const id = idOf(t);
    if (id !== null && ids.includes(id) && !byId.has(id)) byId.set(id, t);
    else rest.push(t);
  }
  return [...ids.map((id) => (byId.has(id!) ? byId.get(id!) : undefined)), ...rest];
}

function walk(theirs: unknown, mine: unknown, at: (string | number)[], out: { path: string; portal: unknown; motcua: unknown }[]): void {
  if (out.length >= MAX_PER_DOSSIER) return;
  if (Array.isArray(mine) && Array.isArray(theirs)) {
    const t = aligned(theirs, mine);
    for (let i = 0; i < Math.max(t.length, mine.length); i++) {
      if (i >= mine.length) out.push({ path: pointer([...at, i]), portal: t[i] ?? null, motcua: null });
      else if (t[i] === undefined) out.push({ path: pointer([...at, i]), portal: null, motcua: mine[i] });
      else walk(t[i], mine[i], [...at, i], out);
    }
    return;
  }
  if (mine && theirs && typeof mine === 'object' && typeof theirs === 'object' && !Array.isArray(mine) && !Array.isArray(theirs)) {
    const m = mine as Record<string, unknown>;
    const t = theirs as Record<string, unknown>;
    for (const k of Object.keys(m)) walk(t[k] ?? null, m[k], [...at, k], out);
    return;
  }
  if (canonicalize(theirs ?? null) !== canonicalize(mine ?? null)) out.push({ path: pointer(at), portal: theirs ?? null, motcua: mine ?? null });
}

/**
 * The differences between the record the portal holds and motcua's, by JSON pointer (empty:
 * the same record). The whole record is compared, not a few fields.
 */
export function differences(dossierId: string, theirs: Record<string, unknown>, mine: SyncRecord): Difference[] {
  const t = canonicalAs(SYNC_RECORD_SCHEMA as Schema, theirs);
  if (recordHash(t) === recordHash(mine)) return [];
  const out: { path: string; portal: unknown; motcua: unknown }[] = [];
  walk(t, mine, [], out);
  return out.map((d) => ({ dossierId, ...d }));
}

/**
 * The differences between the progress entries the portal lists and motcua's (those of its
 * settled deliveries, in order), with the events to send again: an entry missing or different.
 */
export function progressDifferences(dossierId: string, theirs: unknown[], mine: readonly ProgressEntry[]): { diffs: Difference[]; events: string[] } {
  const read = theirs.map((x) => canonicalAs(PROGRESS_SCHEMA as Schema, x));
  const byEvent = new Map<string, unknown>();
  for (const r of read) {
    const id = (r as { MaSuKien?: unknown } | null)?.MaSuKien;
    if (typeof id === 'string' && !byEvent.has(id)) byEvent.set(id, r);
  }
  const diffs: Difference[] = [];
  const events: string[] = [];
  mine.forEach((entry, i) => {
    const t = byEvent.get(entry.MaSuKien);
    const out: { path: string; portal: unknown; motcua: unknown }[] = [];
    if (t === undefined) out.push({ path: pointer([PROGRESS_LIST, i]), portal: null, motcua: entry });
    else if (recordHash(t) !== recordHash(entry)) walk(t, entry, [PROGRESS_LIST, i], out);
    if (out.length) {
      events.push(entry.MaSuKien);
      diffs.push(...out.slice(0, MAX_PER_DOSSIER).map((d) => ({ dossierId, ...d })));
    }
  });
  return { diffs, events };
}

export interface Difference {
  dossierId: string;
  /** JSON pointer (RFC 6901) into the sync record ("" the whole record: the portal has none). */
  path: string;
  portal: unknown;
  motcua: unknown;
}

export interface ReconcileResult {
  checked: number;
  /** Dossiers whose latest event is still on its way (not compared). */
  inFlight: number;
  differences: Difference[];
  /** Deliveries put back to be sent (a dossier's latest event, and any event whose progress entry the portal lacks). */
  resent: number;
  error: string | null;
}

/**
 * Where each connection's next round starts (the last dossier id checked): a round checks at
 * most `limit` dossiers, so a province with more is checked slice by slice, round after round,
 * wrapping to the start — not the same first slice every time. In memory: a restart begins
 * again at the start, which only checks some dossiers sooner.
 */
const cursors = new Map<string, string>();

export async function reconcile(deps: Deps, conn: ConnectionRow, options: Partial<PortalSendOptions> & { limit?: number } = {}): Promise<ReconcileResult> {
  const o: PortalSendOptions = { timeoutMs: options.timeoutMs ?? DELIVERY_POLICY.timeoutMs, ...(options.resolve ? { resolve: options.resolve } : {}) };
  const out: ReconcileResult = { checked: 0, inFlight: 0, differences: [], resent: 0, error: null };
  const password = await subscriptionSecret(deps, conn.subscriptionId);
  const limit = options.limit ?? 10_000;
  const after = cursors.get(conn.subscriptionId) ?? '';
  const latest = await latestDeliveries(deps.db, conn.subscriptionId, limit, after);
  // Once this slice is checked: a short slice is the end, the next round starts again from the first dossier.
  const advance = () => {
    if (latest.length < limit) cursors.delete(conn.subscriptionId);
    else cursors.set(conn.subscriptionId, latest.at(-1)!.dossierId);
  };
  const settled = latest.filter((l) => l.status !== 'pending');
  out.inFlight = latest.length - settled.length;
  if (settled.length === 0) {
    advance();
    return out;
  }
  const table = await statusTable(deps, conn.province);
  let held: Map<string, Record<string, unknown>>;
  try {
    held = await queryPortal(deps, conn, password, settled.map((s) => s.dossierId), o);
  } catch (e) {
    if (!(e instanceof PortalDown)) throw e;
    out.error = e.message;
    return out;
  }
  advance();
  const events = await eventIdsOf(deps.db, settled.map((s) => s.outboxId));
  // The progress entries are compared only for the dossiers whose portal lists them: every settled event of those is built.
  const listing = settled.filter((l) => Array.isArray(held.get(l.dossierId)?.[PROGRESS_LIST])).map((l) => l.dossierId);
  const history = await settledDeliveriesOf(deps.db, conn.subscriptionId, listing);
  const build = await recordBuilder(deps, table, [...settled, ...history]);
  const now = deps.clock.now().toISOString();
  for (const l of settled) {
    out.checked++;
    const mine = build({ dossierId: l.dossierId, outboxId: l.outboxId, eventId: events.get(l.outboxId) ?? '' })?.sync;
    if (!mine) continue;
    const theirs = held.get(l.dossierId);
    const diffs: Difference[] = theirs
      ? differences(l.dossierId, theirs, mine)
      : [{ dossierId: l.dossierId, path: '', portal: null, motcua: { MaHoSo: mine.MaHoSo, MaSuKien: mine.MaSuKien } }];
    const again = new Set<number>();
    const list = theirs?.[PROGRESS_LIST];
    if (Array.isArray(list)) {
      const own = history.filter((x) => x.dossierId === l.dossierId);
      const entries = own.flatMap((x) => {
        const built = build({ dossierId: x.dossierId, outboxId: x.outboxId, eventId: x.eventId });
        return built ? [{ delivery: x.id, entry: built.progress }] : [];
      });
      const p = progressDifferences(l.dossierId, list, entries.map((x) => x.entry));
      diffs.push(...p.diffs);
      for (const e of p.events) again.add(entries.find((x) => x.entry.MaSuKien === e)!.delivery);
    }
    if (diffs.length === 0) continue;
    // The latest event goes again last, so the portal's record ends at the dossier's present state.
    again.add(l.id);
    out.differences.push(...diffs);
    for (const id of [...again].sort((a, b) => a - b)) if (await resend(deps.db, id, now)) out.resent++;
    deps.logger.info({ connection: conn.subscriptionId, dossier: l.dossierId, paths: diffs.map((d) => d.path).slice(0, 20), resent: again.size },
      'portal reconciliation: the portal holds something else, sent again');
  }
  return out;
}
