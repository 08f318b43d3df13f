/**
 * SHA-256 of an upload's bytes, off the event loop when they are large: a worker thread
 * hashes bytes that live in shared memory (the upload buffer pool's, ./uploadStorage.ts), so
 * a scan's megabytes are neither copied nor hashed on the thread that answers requests (at
 * fifty 2 MB papers a second that was a tenth of its time, bench/online.bench.ts). Small
 * bytes, and bytes not in shared memory, are hashed here: the hand-off would cost more.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** The worker, as source: plain CommonJS with no import of ours, so it runs wherever the server does (tsx, the tests). */
const HASHER = `const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, hex: createHash('sha256').update(m.bytes).digest('hex') }));`;

/** From this size, bytes in shared memory are hashed by the worker. */
const OFFLOAD_BYTES = 256 * 1024;

interface Pending { ok: (hex: string) => void; fail: (e: Error) => void }

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(e: Error): void {
  worker = null;
  for (const p of pending.values()) p.fail(e);
  pending.clear();
}

function hasher(): Worker {
  if (worker) return worker;
  const w = new Worker(HASHER, { eval: true });
  // An idle hasher keeps no process alive (tests, a server stopping).
  w.unref();
  w.on('message', (m: { id: number; hex: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.ok(m.hex);
  });
  w.on('error', (e) => failAll(e));
  w.on('exit', (code) => failAll(new Error(`SHA-256 worker exited (${code})`)));
  worker = w;
  return w;
}

/**
 * The bytes' SHA-256 in hex. The caller must not change the bytes until it resolves (an
 * upload's buffer goes back to its pool only after the upload is stored).
 */
export function sha256Hex(bytes: Buffer): Promise<string> {
  if (bytes.length < OFFLOAD_BYTES || !(bytes.buffer instanceof SharedArrayBuffer)) {
    return Promise.resolve(createHash('sha256').update(bytes).digest('hex'));
  }
  return new Promise((ok, fail) => {
    const id = nextId++;
    pending.set(id, { ok, fail });
    hasher().postMessage({ id, bytes });
  });
}
