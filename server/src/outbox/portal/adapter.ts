/**
 * The HTTP adapter for the national portal's sync ("DongBoHoSoMC") and progress
 * ("CapNhatTienDoHoSoMC") services. The outbox dispatcher hands it the claimed deliveries of a
 * subscription that is a portal connection (../dispatcher.ts); retries, give-up, the delivery
 * log and the order per dossier stay the outbox's (../record.ts).
 *
 * - Authentication: the portal's token flow — POST `{ username, password }` to the token
 *   service, get `{ error_code: 0, session }`; the session goes in every request's body
 *   (and as a bearer header) until the portal answers 401, then a new one is taken once.
 * - Batching: up to `batchSize` records per request, one event per dossier per request
 *   ("waves"), so a dossier's events still reach the portal strictly in order and a record the
 *   portal refuses holds back the later events of its dossier only.
 * - Every record is validated against ./schema.ts before it leaves: an invalid one is not
 *   sent, and its delivery carries the reason in the delivery log (status 422), retried like
 *   a refused payload (a corrected status table lets it through), never dropped.
 * - Idempotent: each record and progress entry carries the event id (`MaSuKien`); a record
 *   sent twice (a lost acknowledgement) is counted once by the portal.
 */
import type { Deps } from '../../deps';
import { postJson } from '../http';
import type { ClaimedDelivery } from '../policy';
import { recordFailure, recordSuccess, recordSuccesses, release, nextTry, wakeUp, type Attempt } from '../record';
import { allowList, type Resolver } from '../targets';
import type { PortalFacts } from './facts';
import { buildRecord, type ProgressEntry, type StoredPaper, type SyncRecord } from './record';
import { changesOf, connectionsOf, extrasOf, factsById, filesOf, storedStatusTable, type ConnectionRow } from './repo';
import { fromPortal, onWire, SERVICE_NAMES } from './names';
import { describeErrors, validators } from './schema';
import { DEFAULT_STATUS_TABLE, loadStatusTable, type StatusTable } from './status';

export interface PortalCounts { delivered: number; retrying: number; failed: number; deferred: number }

export interface PortalSendOptions { timeoutMs: number; resolve?: Resolver }

/** How much of an answer is read (acknowledgements of a batch). */
const ANSWER_BYTES = 1_000_000;

/** The portal connections among these subscriptions. */
export const portalConnections = (deps: Deps, subscriptionIds: string[]) => connectionsOf(deps.db, subscriptionIds);

/** A province's status table: stored (validated at load) or the default. */
export async function statusTable(deps: Deps, province: string): Promise<StatusTable> {
  const stored = await storedStatusTable(deps.db, province);
  return stored === null ? DEFAULT_STATUS_TABLE : loadStatusTable(stored);
}

// ---- token

const tokens = new Map<string, { session: string; until: number }>();

/** A failure of the portal as a whole (network, 5xx, garbage): the rest of the round waits. */
class PortalDown extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

const isOk = (code: unknown): boolean => code === 0 || code === '0' || code === '00';

function parse(text: string | undefined, what: string, status: number): Record<string, unknown> {
  try {
    const v = JSON.parse(text ?? '') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v) && 'error_code' in v) return v as Record<string, unknown>;
  } catch {
    // garbage: below
  }
  const shown = (text ?? '').replace(/[\p{Cc}\p{Cf}<>]/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  throw new PortalDown(`Cổng DVCQG trả lời ${what} không đúng định dạng (the portal's ${what} answer is not the expected JSON): HTTP ${status} "${shown}"`, status);
}

async function post(deps: Deps, url: string, body: object, o: PortalSendOptions, session?: string) {
  const text = JSON.stringify(body);
  try {
    return await postJson(url, {
      'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'motcua-portal/0.1',
      ...(session ? { Authorization: `Bearer ${session}` } : {}),
    }, text, { timeoutMs: o.timeoutMs, allow: allowList(deps.config), keepBody: ANSWER_BYTES, ...(o.resolve ? { resolve: o.resolve } : {}) });
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string };
    throw new PortalDown(e?.name === 'TimeoutError' ? `Cổng DVCQG không trả lời trong ${o.timeoutMs / 1000} s (no answer)` : `${e?.message ?? String(err)}${e?.code ? ` (${e.code})` : ''}`.slice(0, 300), null);
  }
}

async function session(deps: Deps, conn: ConnectionRow, password: string, o: PortalSendOptions, fresh = false): Promise<string> {
  const cached = tokens.get(conn.subscriptionId);
  const now = Date.now();
  if (!fresh && cached && cached.until > now) return cached.session;
  const res = await post(deps, conn.tokenUrl, { username: conn.username, password }, o);
  if (res.status !== 200) throw new PortalDown(`Cổng DVCQG từ chối cấp phiên (token refused): HTTP ${res.status} ${res.excerpt}`, res.status);
  const answer = parse(res.body, 'token', res.status);
  if (!isOk(answer['error_code']) || typeof answer['session'] !== 'string' || !answer['session']) {
    throw new PortalDown(`Cổng DVCQG từ chối cấp phiên (token refused): ${String(answer['message'] ?? answer['error_code'])}`.slice(0, 300), res.status);
  }
  const ttl = typeof answer['expires_in'] === 'number' ? Math.max(answer['expires_in'] - 30, 30) * 1000 : 25 * 60_000;
  tokens.set(conn.subscriptionId, { session: answer['session'], until: now + ttl });
  return answer['session'];
}

/** Forgets cached sessions (tests; a connection deleted or re-keyed). */
export function forgetSessions(): void {
  tokens.clear();
}

type ItemAnswer = { ok: true } | { ok: false; message: string };

/** Calls one service with a batch; the answer per event id. */
async function call(deps: Deps, conn: ConnectionRow, password: string, url: string, service: string, data: (SyncRecord | ProgressEntry)[], o: PortalSendOptions): Promise<Map<string, ItemAnswer>> {
  // The records go with the portal's field names (./names.ts), their values as the connection says (typed, or all strings).
  const wire = onWire(conn.valueFormat === 'strings' ? 'strings' : 'typed');
  const body = (s: string) => ({ session: s, madonvi: conn.agencyCode, service, ...(service === SERVICE_NAMES.sync ? { isUpdating: true } : {}), data: data.map(wire) });
  let s = await session(deps, conn, password, o);
  let res = await post(deps, url, body(s), o, s);
  if (res.status === 401) {
    s = await session(deps, conn, password, o, true);
    res = await post(deps, url, body(s), o, s);
  }
  if (res.status < 200 || res.status >= 300) throw new PortalDown(`HTTP ${res.status}${res.excerpt ? `: ${res.excerpt}` : ''}`, res.status);
  const answer = parse(res.body, service, res.status);
  const out = new Map<string, ItemAnswer>();
  const items = Array.isArray(answer['result']) ? answer['result'] as Record<string, unknown>[] : null;
  if (items) {
    for (const raw of items) {
      const it = fromPortal(raw);
      if (!it || typeof it['MaSuKien'] !== 'string') continue;
      out.set(it['MaSuKien'], isOk(it['error_code']) ? { ok: true } : { ok: false, message: String(it['message'] ?? it['error_code']).slice(0, 300) });
    }
    // An item the answer does not mention was not acknowledged: sent again.
    for (const d of data) if (!out.has(d.MaSuKien)) throw new PortalDown(`Cổng DVCQG không xác nhận ${d.MaSuKien} (no acknowledgement for it in the answer)`, res.status);
    return out;
  }
  const whole: ItemAnswer = isOk(answer['error_code']) ? { ok: true } : { ok: false, message: String(answer['message'] ?? answer['error_code']).slice(0, 300) };
  for (const d of data) out.set(d.MaSuKien, whole);
  return out;
}

// ---- records

/**
 * Builds records for deliveries (or any event of a dossier, by outbox id): this event's facts
 * come with the delivery (its outbox payload) or are read by id; of the dossier's earlier
 * events only those that changed a list the record carries are read (./repo.ts `changesOf`),
 * with the stored files and unit names, once per batch; then each record is built on demand.
 */
export async function recordBuilder(deps: Deps, table: StatusTable, items: readonly { dossierId: string | null; outboxId: number; payload?: unknown }[]) {
  const dossierIds = [...new Set(items.map((d) => d.dossierId).filter((x): x is string => x !== null))];
  const own = new Map<number, PortalFacts>();
  const missing: number[] = [];
  for (const d of items) {
    if (d.payload === undefined) missing.push(d.outboxId);
    else {
      const f = (d.payload as { portal?: PortalFacts } | null)?.portal;
      if (f) own.set(d.outboxId, f);
    }
  }
  for (const [id, f] of await factsById(deps.db, missing)) own.set(id, f);
  const changes = await changesOf(deps.db, dossierIds, Math.max(0, ...items.map((d) => d.outboxId)));
  const files = await filesOf(deps.db, dossierIds);
  const extras = await extrasOf(deps.db, dossierIds);
  const names = new Map<string, string>();
  const codes = new Set<string>();
  for (const f of own.values()) codes.add(f.dossier.receiving).add(f.dossier.competent).add(f.progress.unit);
  for (const c of codes) names.set(c, (await deps.directory.unit(c))?.name ?? c);
  const base = deps.config.publicUrl.replace(/\/$/, '');
  return (d: { dossierId: string | null; outboxId: number; eventId: string }): { sync: SyncRecord; progress: ProgressEntry } | null => {
    const facts = own.get(d.outboxId);
    if (!facts) return null;
    const earlier = (changes.get(d.dossierId ?? '') ?? []).filter((c) => c.outboxId < d.outboxId).flatMap((c) => c.changes);
    const stored: StoredPaper[] = files.filter((f) => f.dossierId === d.dossierId)
      .map((f) => ({
        id: f.id, name: f.name, sha256: f.sha256, link: `${base}/api/dossiers/${encodeURIComponent(f.dossierId)}/documents/${encodeURIComponent(f.id)}`,
        digitised: f.kind === 'digitised', reused: f.reusedFrom !== null,
      }));
    return buildRecord({
      eventId: d.eventId, facts, earlier, table, stored, publicUrl: base, units: { name: (c) => names.get(c) ?? c },
      ...(d.dossierId && extras.has(d.dossierId) ? { extras: extras.get(d.dossierId)! } : {}),
    });
  };
}

/** Asks the portal's query service ("TraCuuHoSo") for the records it holds of these dossiers. */
export async function queryPortal(deps: Deps, conn: ConnectionRow, password: string, codes: string[], o: PortalSendOptions): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < codes.length; i += 100) {
    const body = (s: string) => ({ session: s, madonvi: conn.agencyCode, service: SERVICE_NAMES.query, [SERVICE_NAMES.codes]: codes.slice(i, i + 100) });
    let s = await session(deps, conn, password, o);
    let res = await post(deps, conn.queryUrl, body(s), o, s);
    if (res.status === 401) {
      s = await session(deps, conn, password, o, true);
      res = await post(deps, conn.queryUrl, body(s), o, s);
    }
    if (res.status !== 200) throw new PortalDown(`HTTP ${res.status}${res.excerpt ? `: ${res.excerpt}` : ''}`, res.status);
    const answer = parse(res.body, 'TraCuuHoSo', res.status);
    if (!isOk(answer['error_code']) || !Array.isArray(answer['result'])) throw new PortalDown(`TraCuuHoSo: ${String(answer['message'] ?? answer['error_code'])}`, res.status);
    for (const r of (answer['result'] as unknown[]).map((x) => fromPortal(x) as Record<string, unknown> | null)) if (r && typeof r['MaHoSo'] === 'string') out.set(r['MaHoSo'], r);
  }
  return out;
}

/** Asks the portal for the online dossiers waiting for the province ("LayHoSoTrucTuyen"). */
export async function pullOnline(deps: Deps, conn: ConnectionRow, password: string, o: PortalSendOptions): Promise<unknown[]> {
  const s = await session(deps, conn, password, o);
  const res = await post(deps, conn.queryUrl, { session: s, madonvi: conn.agencyCode, service: SERVICE_NAMES.online }, o, s);
  if (res.status !== 200) throw new PortalDown(`HTTP ${res.status}${res.excerpt ? `: ${res.excerpt}` : ''}`, res.status);
  const answer = parse(res.body, 'LayHoSoTrucTuyen', res.status);
  if (!isOk(answer['error_code']) || !Array.isArray(answer['result'])) throw new PortalDown(`LayHoSoTrucTuyen: ${String(answer['message'] ?? answer['error_code'])}`, res.status);
  return answer['result'] as unknown[];
}

export { PortalDown };

// ---- the round

interface Prepared { d: ClaimedDelivery; sync: SyncRecord; progress: ProgressEntry }

/**
 * Sends one subscription's claimed deliveries (in outbox order) to the portal it connects to,
 * and records each result. Mirrors `sendInOrder` of ../dispatcher.ts for ordinary webhooks.
 */
export async function sendPortal(deps: Deps, conn: ConnectionRow, group: ClaimedDelivery[], o: PortalSendOptions, result: PortalCounts): Promise<void> {
  const failAll = async (rest: ClaimedDelivery[], a: Attempt) => {
    for (const d of rest) {
      if (await recordFailure(deps, d, a)) result.retrying++;
      else result.failed++;
    }
  };
  const password = group[0]?.secret ?? null;
  if (password === null) return failAll(group, { ok: false, status: null, error: group[0]?.secretError ?? 'No secret', receiverDown: true });
  let table: StatusTable;
  try {
    table = await statusTable(deps, conn.province);
  } catch (e) {
    return failAll(group, { ok: false, status: null, error: (e as Error).message.slice(0, 500), receiverDown: true });
  }
  const build = await recordBuilder(deps, table, group);

  const held = new Map<string, Attempt>();
  let queue = [...group];
  let woken = false;
  while (queue.length) {
    // One wave: the first delivery of each dossier still queued.
    const seen = new Set<string>();
    const wave: ClaimedDelivery[] = [];
    const later: ClaimedDelivery[] = [];
    for (const d of queue) {
      const key = d.dossierId ?? `#${d.id}`;
      if (seen.has(key)) later.push(d);
      else {
        seen.add(key);
        wave.push(d);
      }
    }
    queue = later;
    const prepared: Prepared[] = [];
    for (const d of wave) {
      if (d.dossierId && held.has(d.dossierId)) {
        const now = deps.clock.now();
        await release(deps, [d], (x) => nextTry(x, now), held.get(d.dossierId)!);
        result.deferred++;
        continue;
      }
      const built = build(d);
      if (!built || (d.payload as { portal?: unknown } | null)?.portal === undefined) {
        // Not a dossier event with portal facts (written before this module): nothing to tell the portal.
        await recordSuccess(deps, d, { ok: true, status: null, error: null, receiverDown: false });
        result.delivered++;
        continue;
      }
      const { sync, progress } = built;
      const v = validators();
      const bad = [
        ...(v.sync(sync) ? [] : describeErrors(v.sync.errors).map((e) => `${SERVICE_NAMES.sync}${e.path} ${e.message}`)),
        ...(v.progress(progress) ? [] : describeErrors(v.progress.errors).map((e) => `${SERVICE_NAMES.progress}${e.path} ${e.message}`)),
      ];
      if (bad.length) {
        const a: Attempt = { ok: false, status: 422, receiverDown: false, error: `Bản ghi không hợp lệ, không gửi (invalid record, not sent): ${bad.join('; ')}`.slice(0, 500) };
        if (await recordFailure(deps, d, a)) result.retrying++;
        else result.failed++;
        if (d.dossierId) held.set(d.dossierId, a);
        deps.logger.warn({ delivery: d.id, dossier: d.dossierId, issues: bad }, 'portal record not valid: not sent');
        continue;
      }
      prepared.push({ d, sync, progress });
    }
    for (let i = 0; i < prepared.length; i += conn.batchSize) {
      const chunk = prepared.slice(i, i + conn.batchSize);
      const now = deps.clock.now();
      const lease = Math.min(...chunk.map((p) => Date.parse(p.d.lease)));
      if (now.getTime() + 2 * o.timeoutMs > lease) {
        const rest = [...prepared.slice(i).map((p) => p.d), ...queue];
        await release(deps, rest, now, null);
        result.deferred += rest.length;
        return;
      }
      let answers: Map<string, ItemAnswer>;
      try {
        const synced = await call(deps, conn, password, chunk[0]!.d.url, SERVICE_NAMES.sync, chunk.map((p) => p.sync), o);
        const ok = chunk.filter((p) => synced.get(p.d.eventId)?.ok);
        const progressed = ok.length ? await call(deps, conn, password, conn.progressUrl, SERVICE_NAMES.progress, ok.map((p) => p.progress), o) : new Map<string, ItemAnswer>();
        answers = new Map(chunk.map((p) => [p.d.eventId, synced.get(p.d.eventId)?.ok ? progressed.get(p.d.eventId)! : synced.get(p.d.eventId)!]));
      } catch (err) {
        if (!(err instanceof PortalDown)) throw err;
        const a: Attempt = { ok: false, status: err.status, error: err.message, receiverDown: true };
        await failAll(chunk.map((p) => p.d), a);
        const rest = [...prepared.slice(i + conn.batchSize).map((p) => p.d), ...queue];
        const at = deps.clock.now();
        await release(deps, rest, (x) => nextTry(x, at), a);
        result.deferred += rest.length;
        return;
      }
      const acknowledged = chunk.filter((p) => answers.get(p.d.eventId)!.ok).map((p) => p.d);
      await recordSuccesses(deps, acknowledged, { ok: true, status: 200, error: null, receiverDown: false });
      result.delivered += acknowledged.length;
      for (const p of chunk) {
        const ans = answers.get(p.d.eventId)!;
        if (ans.ok) continue;
        const a: Attempt = { ok: false, status: 422, receiverDown: false, error: `Cổng DVCQG từ chối bản ghi (the portal refused the record): ${ans.message}`.slice(0, 500) };
        if (await recordFailure(deps, p.d, a)) result.retrying++;
        else result.failed++;
        if (p.d.dossierId) held.set(p.d.dossierId, a);
      }
      if (!woken && chunk.some((p) => answers.get(p.d.eventId)?.ok)) {
        woken = true;
        await wakeUp(deps, conn.subscriptionId);
      }
    }
  }
}
