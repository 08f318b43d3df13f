/**
 * Work on an upload's bytes done by a worker thread instead of the thread that answers
 * requests: the bytes live in shared memory (the upload buffer pool's,
 * dossiers/uploadStorage.ts), so they are handed over without a copy, and a fifty-a-second
 * stream of scanned papers no longer queues every other request behind its hashing, PDF
 * parsing and file writing (bench/online.bench.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** A worker's answer to one call: its value, or the message (and the system error code, if any) of what it threw. */
export type Answer<Out> = { id: number; value: Out } | { id: number; error: string; code?: string };

/** What a worker that announces its readiness (`WorkerCalls` with `readiness`) posts once it listens: see `announceReady`. */
export const READY = { ready: true } as const;

/** How long a worker that announces readiness may take to start (loading its TypeScript through tsx) before its calls fail. */
export const WORKER_START_MS = 60_000;

/**
 * Posts READY from a worker, once it listens for calls. A worker's start (a TypeScript module
 * loaded through tsx) took seconds on a busy machine; counted against a call's time limit, an
 * ordinary upload's check ran out of time before the checker had even started.
 */
export const announceReady = (port: { postMessage(m: unknown): void } | null): void => { port?.postMessage(READY); };

/** Why a call to a worker failed without an answer of its own (the worker died or could not start). */
export class WorkerGone extends Error {}

/** A call not answered within its time: the worker was stopped (the other calls it held fail with WorkerGone). */
export class WorkerTimeout extends Error {}

interface Pending<Out> { ok: (value: Out) => void; fail: (e: Error) => void }

/**
 * Calls to one worker thread, each answered by its id. The worker is started on the first
 * call and again on the call after it died; a death fails the calls it had not answered.
 * An idle worker keeps no process alive (tests, a server stopping).
 */
export class WorkerCalls<In extends object, Out> {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending<Out>>();

  /** Whether the current worker has announced it listens (always, for a worker that does not announce). */
  private ready = true;
  /** Time limits of calls sent before the worker was ready: started when it is. */
  private deferred: (() => void)[] = [];

  /**
   * `start` makes the worker; with `readiness`, the worker posts READY once it listens
   * (`announceReady`), and a call's time limit runs from then, not from the worker's start:
   * the limit is for the work, which a slow start has not begun.
   */
  constructor(private readonly start: () => Worker, private readonly readiness: { startMs: number } | null = null) {}

  /**
   * The worker's answer to `message`. With `timeoutMs`, a call still unanswered then stops the
   * worker, the one way to end work that runs on in it (a parser stuck in a crafted file), and
   * fails with WorkerTimeout.
   */
  call(message: In, timeoutMs?: number): Promise<Out> {
    const w = this.running();
    return new Promise<Out>((ok, fail) => {
      const id = this.nextId++;
      let timer: NodeJS.Timeout | undefined;
      const done = () => clearTimeout(timer);
      this.pending.set(id, { ok: (v) => { done(); ok(v); }, fail: (e) => { done(); fail(e); } });
      if (timeoutMs !== undefined) {
        const limit = () => {
          if (!this.pending.has(id)) return;
          timer = setTimeout(() => {
            const p = this.pending.get(id);
            if (!p) return;
            this.pending.delete(id);
            p.fail(new WorkerTimeout(`no answer within ${timeoutMs} ms`));
            // Let go of it at once: the next call starts a new worker instead of waiting on this one's end.
            this.stopWorker(w, new WorkerGone(`worker stopped: a call took over ${timeoutMs} ms`));
          }, timeoutMs);
        };
        if (this.ready) limit();
        else this.deferred.push(limit);
      }
      w.ref();
      w.postMessage({ ...message, id });
    });
  }

  /** Calls sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stops the worker (its unanswered calls fail); the next call starts a new one. */
  async stop(): Promise<void> {
    const w = this.worker;
    if (w) await w.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const w = this.start();
    w.unref();
    this.ready = this.readiness === null;
    this.deferred = [];
    if (this.readiness) {
      const { startMs } = this.readiness;
      // A worker that never gets to listen (a broken install, a machine out of memory) fails its calls.
      const starting = setTimeout(() => this.stopWorker(w, new WorkerGone(`worker did not start within ${startMs} ms`)), startMs);
      starting.unref();
      w.once('exit', () => clearTimeout(starting));
      w.on('message', (m: unknown) => {
        if (m === null || typeof m !== 'object' || !('ready' in m) || this.worker !== w) return;
        clearTimeout(starting);
        this.ready = true;
        for (const limit of this.deferred.splice(0)) limit();
      });
    }
    w.on('message', (m: Answer<Out>) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (!p) return;
      if ('error' in m) p.fail(Object.assign(new Error(m.error), m.code === undefined ? {} : { code: m.code }));
      else p.ok(m.value);
    });
    w.on('error', (e) => this.gone(w, new WorkerGone(e.message)));
    w.on('exit', (code) => this.gone(w, new WorkerGone(`worker exited (${code})`)));
    this.worker = w;
    return w;
  }

  /** Stops `w`, failing the calls it had not answered with `e`. */
  private stopWorker(w: Worker, e: Error): void {
    this.gone(w, e);
    void w.terminate();
  }

  /** The worker `w` is no more: the calls it had not answered fail (all pending calls are its own). */
  private gone(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    for (const p of this.pending.values()) p.fail(e);
    this.pending.clear();
  }
}

/**
 * A worker running a TypeScript module of the server. The server runs its sources through
 * tsx, which does not carry over to worker threads (nor does the test runner's transform), so
 * the worker registers tsx's loader itself, by the path tsx's package exports, then imports
 * the module.
 */
export function typeScriptWorker(module: URL, resourceLimits?: ResourceLimits): Worker {
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: { './esm/api': { import: { default: string } } } };
  const api = pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(code, { eval: true, ...(resourceLimits ? { resourceLimits } : {}) });
}

/** Whether bytes can go to a worker without a copy: a view of shared memory. */
export const shared = (bytes: Uint8Array): boolean => bytes.buffer instanceof SharedArrayBuffer;

/** The bytes in shared memory: as they are when they are (every pooled upload), else copied once. */
export function inShared(bytes: Buffer): Buffer {
  if (shared(bytes)) return bytes;
  const out = Buffer.from(new SharedArrayBuffer(bytes.length));
  bytes.copy(out);
  return out;
}

/** Bytes a worker received (a Uint8Array over the sender's shared memory) as a Buffer over the same memory. */
export const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
