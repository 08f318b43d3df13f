/**
 * A national portal (DVCQG) simulator: a real HTTP server speaking the contract the portal
 * adapter uses (./README.md) — token service, sync ("DongBoHoSoMC"),
 * progress ("CapNhatTienDoHoSoMC"), query ("TraCuuHoSo") and the online dossiers it holds for
 * the province to pull ("LayHoSoTrucTuyen"). It validates what it receives with the same
 * JSON Schemas as the adapter, counts each event once (by `MaSuKien`), notes any event that
 * arrives before an earlier one of its dossier, and can be told to be slow, to fail, to answer
 * garbage, to refuse records, or to lose acknowledgements (apply, then drop the answer).
 *
 * Started by the tests on port 0, and by the demo when PORTAL_SIMULATOR=1 (see ../../main.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromPortal, inboundToPortal, SERVICE_NAMES, toPortal } from './names';
import { describeErrors, PROGRESS_SCHEMA, SYNC_RECORD_SCHEMA, validators, type InboundDossier } from './schema';
import { canonicalAs, type Schema } from './reconcile';

/** JSON pointers of the values that are not strings (numbers, booleans) anywhere in v. */
function typedValues(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => typedValues(x, `${at}/${i}`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => typedValues(x, `${at}/${k}`));
  return typeof v === 'number' || typeof v === 'boolean' ? [at] : [];
}
import type { ProgressEntry, SyncRecord } from './record';

export interface PortalFaults {
  /** Answer every request this much later. */
  delayMs: number;
  /** 'unavailable': 503; 'garbage': 200 with a body that is not the contract; 'refuse': every record refused. */
  mode: 'ok' | 'unavailable' | 'garbage' | 'refuse';
  /** Apply the next N sync/progress requests, then drop the connection instead of answering. */
  loseAcks: number;
  /** Records of these dossiers are refused (error_code 1), whatever the mode. */
  refuseDossiers: Set<string>;
  /**
   * How the query service writes what it holds: 'exact' as received; 'loose' as public clients
   * of the portal show it — every number as a string, booleans "1"/"0", dates dd/MM/yyyy HH:mm:ss,
   * empty values left out, keys in another order (reconciliation must not see a difference).
   */
  queryFormat: 'exact' | 'loose';
  /**
   * What values the sync and progress services take: 'typed' as motcua's schemas type them;
   * 'strings' only strings, as a portal built for the public clients might ("2", "3000", "0"):
   * a record with any number or boolean value is refused.
   */
  accepts: 'typed' | 'strings';
}

export interface SimulatorOptions {
  username?: string;
  password?: string;
  /** Session lifetime in seconds. */
  sessionTtlS?: number;
}

/** The portal's own view of one dossier: its latest record, the events counted, the progress entries. */
export interface PortalDossier {
  record: SyncRecord;
  events: string[];
  progress: ProgressEntry[];
}

const seqOf = (eventId: string): number | null => {
  const m = /#(\d+)$/.exec(eventId);
  return m ? Number(m[1]) : null;
};

export class PortalSimulator {
  readonly username: string;
  readonly password: string;
  readonly faults: PortalFaults = { delayMs: 0, mode: 'ok', loseAcks: 0, refuseDossiers: new Set(), queryFormat: 'exact', accepts: 'typed' };
  readonly dossiers = new Map<string, PortalDossier>();
  /** Event ids counted (sync), each once. */
  readonly counted = new Set<string>();
  /** Sync and progress items received again after being counted (lost acknowledgements, retries). */
  duplicates = 0;
  /** Events that arrived after a later event of their dossier had been counted. */
  readonly outOfOrder: string[] = [];
  /** Requests refused by validation, with the reasons (what a portal would answer). */
  readonly invalid: { service: string; issues: string[] }[] = [];
  /** Every request, by service name. */
  readonly calls = new Map<string, number>();
  /** Online dossiers waiting for the province to pull them. */
  readonly online: InboundDossier[] = [];
  /** When each event was acknowledged (performance.now()), for the benchmark. */
  readonly ackedAt = new Map<string, number>();
  private sessions = new Map<string, number>();
  private server: Server | null = null;
  private port = 0;
  private readonly ttl: number;

  constructor(options: SimulatorOptions = {}) {
    this.username = options.username ?? 'motcua-tinh-demo';
    this.password = options.password ?? 'portal-simulator-password';
    this.ttl = (options.sessionTtlS ?? 1800) * 1000;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts listening (port 0: a free one; a restart keeps the port it had). */
  async start(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.json(res, 500, { error_code: 500, message: 'simulator error' });
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ok());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening (an outage); `start()` brings it back on the same port. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }

  /** Sessions issued so far become invalid (the next call gets 401). */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** The endpoints, as a portal connection names them. */
  endpoints() {
    return { tokenUrl: `${this.url}/token`, syncUrl: `${this.url}/sync`, progressUrl: `${this.url}/progress`, queryUrl: `${this.url}/query` };
  }

  private count(service: string): void {
    this.calls.set(service, (this.calls.get(service) ?? 0) + 1);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 20_000_000) throw new Error('too large');
      chunks.push(c as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const body = await this.body(req) as Record<string, unknown> | undefined;
    if (this.faults.delayMs > 0) await new Promise((ok) => setTimeout(ok, this.faults.delayMs));
    if (req.method !== 'POST') return this.json(res, 405, { error_code: 405, message: 'POST only' });
    if (this.faults.mode === 'unavailable') return this.json(res, 503, { error_code: 503, message: 'Hệ thống đang bảo trì' });
    if (this.faults.mode === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Service Unavailable – Bad Gateway</body></html>');
      return;
    }
    if (!body || typeof body !== 'object') return this.json(res, 400, { error_code: 400, message: 'Body is not JSON' });
    if (path === '/token') {
      this.count('token');
      if (body['username'] !== this.username || body['password'] !== this.password) {
        return this.json(res, 200, { error_code: 1, message: 'Sai tên đăng nhập hoặc mật khẩu' });
      }
      const session = randomUUID();
      this.sessions.set(session, Date.now() + this.ttl);
      return this.json(res, 200, { error_code: 0, session, expires_in: this.ttl / 1000 });
    }
    const session = typeof body['session'] === 'string' ? body['session'] : '';
    const until = this.sessions.get(session);
    if (!until || until < Date.now()) return this.json(res, 401, { error_code: 401, message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' });
    const service = String(body['service'] ?? '');
    this.count(service);
    if (path === '/sync' && service === SERVICE_NAMES.sync) return this.items(res, body, 'sync');
    if (path === '/progress' && service === SERVICE_NAMES.progress) return this.items(res, body, 'progress');
    if (path === '/query' && service === SERVICE_NAMES.query) {
      const asked = body[SERVICE_NAMES.codes];
      const codes = Array.isArray(asked) ? asked.map(String) : [String(asked ?? '')];
      // Everything it holds of each dossier: the latest record and, under QuaTrinhXuLy, the progress entries.
      const held = codes.flatMap((c) => {
        const d = this.dossiers.get(c);
        return d ? [{ ...d.record, QuaTrinhXuLy: d.progress }] : [];
      });
      const named = held.map(toPortal);
      return this.json(res, 200, { error_code: 0, result: this.faults.queryFormat === 'loose' ? named.map(loose) : named });
    }
    if (path === '/query' && service === SERVICE_NAMES.online) {
      return this.json(res, 200, { error_code: 0, result: this.online.splice(0, 100).map(inboundToPortal) });
    }
    return this.json(res, 404, { error_code: 404, message: `Không có dịch vụ ${service} tại ${path}` });
  }

  private items(res: ServerResponse, body: Record<string, unknown>, kind: 'sync' | 'progress'): void {
    const data = body['data'];
    const service = kind === 'sync' ? SERVICE_NAMES.sync : SERVICE_NAMES.progress;
    if (!Array.isArray(data) || data.length === 0 || data.length > 500) {
      this.invalid.push({ service, issues: ['/data must be an array of 1 to 500 items'] });
      return this.json(res, 400, { error_code: 400, message: 'data phải là mảng 1–500 phần tử' });
    }
    const validate = kind === 'sync' ? validators().sync : validators().progress;
    const result: { MaHoSo: string; MaSuKien: string; error_code: number; message: string }[] = [];
    // Read in motcua's keys through the same names table as the adapter (./names.ts).
    for (const raw of (data as unknown[]).map((x) => fromPortal(x) as Record<string, unknown> | null)) {
      const eventId = typeof raw?.['MaSuKien'] === 'string' ? raw['MaSuKien'] : '';
      const code = typeof raw?.['MaHoSo'] === 'string' ? raw['MaHoSo'] : '';
      if (this.faults.accepts === 'strings') {
        const typed = typedValues(raw);
        if (typed.length) {
          const issues = typed.map((p) => `${p} must be string`);
          this.invalid.push({ service, issues });
          result.push({ MaHoSo: code, MaSuKien: eventId, error_code: 1, message: `Dữ liệu không hợp lệ: ${issues.join('; ')}` });
          continue;
        }
      }
      // All strings: read as the schema types them (as reconciliation reads the query's answer), then validated.
      const item = this.faults.accepts === 'strings' ? canonicalAs((kind === 'sync' ? SYNC_RECORD_SCHEMA : PROGRESS_SCHEMA) as Schema, raw) as Record<string, unknown> | null : raw;
      if (!validate(item)) {
        const issues = describeErrors(validate.errors).map((e) => `${e.path} ${e.message}`);
        this.invalid.push({ service, issues });
        result.push({ MaHoSo: code, MaSuKien: eventId, error_code: 1, message: `Dữ liệu không hợp lệ: ${issues.join('; ')}` });
        continue;
      }
      if (this.faults.mode === 'refuse' || this.faults.refuseDossiers.has(code)) {
        result.push({ MaHoSo: code, MaSuKien: eventId, error_code: 1, message: 'Mã TTHC chưa được công bố trên Cổng DVCQG' });
        continue;
      }
      if (kind === 'sync') this.applySync(item as unknown as SyncRecord);
      else this.applyProgress(item as unknown as ProgressEntry);
      result.push({ MaHoSo: code, MaSuKien: eventId, error_code: 0, message: 'OK' });
    }
    if (this.faults.loseAcks > 0) {
      this.faults.loseAcks--;
      res.socket?.destroy();
      return;
    }
    const now = performance.now();
    if (kind === 'progress') for (const r of result) if (r.error_code === 0 && !this.ackedAt.has(r.MaSuKien)) this.ackedAt.set(r.MaSuKien, now);
    this.json(res, 200, { error_code: 0, message: 'OK', result: result.map(toPortal) });
  }

  private applySync(r: SyncRecord): void {
    const d = this.dossiers.get(r.MaHoSo);
    if (this.counted.has(r.MaSuKien)) {
      // The same event again (a lost acknowledgement, a reconciliation): counted once; the
      // record of the dossier's latest event is stored again (an upsert by MaHoSo).
      this.duplicates++;
      if (d && d.events.at(-1) === r.MaSuKien) d.record = r;
      return;
    }
    this.counted.add(r.MaSuKien);
    const seq = seqOf(r.MaSuKien);
    if (!d) {
      this.dossiers.set(r.MaHoSo, { record: r, events: [r.MaSuKien], progress: [] });
      return;
    }
    const last = seqOf(d.events.at(-1) ?? '');
    if (seq !== null && last !== null && seq < last) this.outOfOrder.push(r.MaSuKien);
    else d.record = r;
    d.events.push(r.MaSuKien);
  }

  private applyProgress(p: ProgressEntry): void {
    const d = this.dossiers.get(p.MaHoSo);
    if (!d) return;
    const i = d.progress.findIndex((x) => x.MaSuKien === p.MaSuKien);
    if (i >= 0) {
      // Counted once; the entry sent again replaces the one held (a reconciliation's correction).
      this.duplicates++;
      d.progress[i] = p;
      return;
    }
    d.progress.push(p);
  }

  /** A reconciliation test: a dossier's record as the portal holds it, changed behind motcua's back (fields, or anything by a function). */
  tamper(code: string, change: Partial<SyncRecord> | ((d: PortalDossier) => void)): void {
    const d = this.dossiers.get(code);
    if (!d) return;
    if (typeof change === 'function') change(d);
    else d.record = { ...d.record, ...change };
  }
}

/** A held record as public clients show it (see `queryFormat`): same content, other formatting. */
function loose(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') {
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
    return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6]}` : v;
  }
  if (Array.isArray(v)) return v.map(loose);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).reverse().filter(([, x]) => x !== '').map(([k, x]) => [k, loose(x)]));
  }
  return v;
}

/** Standalone: `tsx server/src/outbox/portal/simulator.ts [port]` (the demo's helper ports: 3600–3699). */
if (import.meta.url === `file://${process.argv[1]}`) {
  const sim = new PortalSimulator();
  await sim.start(Number(process.argv[2] ?? 3600));
  console.log(`portal simulator on ${sim.url} (user ${sim.username})`);
}
