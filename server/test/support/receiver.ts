/** A real webhook receiver on 127.0.0.1 for the outbox tests: checks signatures, answers as told, de-duplicates. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  eventId: string;
  topic: string;
  attempt: number;
  /** Manual-clock time the request was signed at (X-Motcua-Timestamp, seconds). */
  timestamp: number;
  validSignature: boolean;
  answered: number;
  body: { eventId: string; topic: string; dossierId: string | null; createdAt: string; payload: unknown };
}

/** A webhook receiver that checks the HMAC signature, answers as told and de-duplicates by event id. */
export class Receiver {
  server: Server | null = null;
  port = 0;
  mode: 'up' | 'unavailable' = 'up';
  delayMs = 0;
  /** Event ids answered 422 (a payload this receiver cannot take). */
  readonly reject = new Set<string>();
  /** Answers of its own for some requests (status, content type, body), or null for the usual one. */
  custom: ((eventId: string, n: number) => { status: number; type?: string; body: string } | null) | null = null;
  /** Sees each validly signed request as it arrives, with the event ids accepted before it. */
  onRequest: ((eventId: string, accepted: ReadonlySet<string>) => void) | null = null;
  readonly requests: Received[] = [];
  /** Event ids in the order they were first accepted (what a de-duplicating receiver keeps). */
  readonly accepted: string[] = [];
  private readonly seen = new Set<string>();
  private waiters: { n: number; resolve: () => void }[] = [];

  /** Resolves once `n` events have been accepted. */
  waitFor(n: number): Promise<void> {
    if (this.accepted.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => { void this.handle(req, res.writeHead.bind(res), res.end.bind(res)); });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Takes the receiver off the network: connections are refused. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, writeHead: (s: number, h: Record<string, string>) => unknown, end: (b?: string) => unknown): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(req.headers['x-motcua-timestamp'] ?? '');
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-motcua-signature'] ?? ''));
    const validSignature = given.length === expected.length && timingSafeEqual(given, expected);
    const body = JSON.parse(raw) as Received['body'];
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (validSignature) this.onRequest?.(body.eventId, this.seen);
    const own = validSignature && this.mode === 'up' ? this.custom?.(body.eventId, this.requests.length) ?? null : null;
    const answered = !validSignature ? 401 : this.mode !== 'up' ? 503 : own ? own.status : this.reject.has(body.eventId) ? 422 : 200;
    this.requests.push({
      eventId: String(req.headers['x-motcua-event-id']), topic: String(req.headers['x-motcua-topic']),
      attempt: Number(req.headers['x-motcua-attempt']), timestamp: Number(timestamp), validSignature, answered, body,
    });
    if (answered === 200 && !this.seen.has(body.eventId)) {
      this.seen.add(body.eventId);
      this.accepted.push(body.eventId);
      this.waiters = this.waiters.filter((w) => (this.accepted.length >= w.n ? (w.resolve(), false) : true));
    }
    writeHead(answered, own?.type ? { 'Content-Type': own.type } : {});
    end(own ? own.body : answered === 200 ? 'ok' : 'Service Unavailable');
  }

  /** 2xx answers per event id. */
  deliveredCounts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.requests) if (r.answered === 200) m.set(r.eventId, (m.get(r.eventId) ?? 0) + 1);
    return m;
  }
}

