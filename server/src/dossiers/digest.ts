/**
 * SHA-256 of an upload's bytes, off the event loop when they are large: a worker thread
 * hashes bytes that live in shared memory (../offload.ts), so a scan's megabytes are neither
 * copied nor hashed on the thread that answers requests (at fifty 2 MB papers a second that
 * was a tenth of its time, bench/online.bench.ts). Small bytes, and bytes not in shared
 * memory, are hashed here: the hand-off would cost more.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { WorkerCalls, shared } from '../offload';

/** The worker, as source: plain CommonJS with no import of ours, so it starts at once wherever the server runs. */
const HASHER = `const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, value: createHash('sha256').update(m.bytes).digest('hex') }));`;

/** From this size, bytes in shared memory are hashed by the worker. */
const OFFLOAD_BYTES = 256 * 1024;

const hasher = new WorkerCalls<{ bytes: Uint8Array }, string>(() => new Worker(HASHER, { eval: true }));

/**
 * The bytes' SHA-256 in hex. The caller must not change the bytes until it resolves (an
 * upload's buffer goes back to its pool only after the upload is stored).
 */
export function sha256Hex(bytes: Buffer): Promise<string> {
  if (bytes.length < OFFLOAD_BYTES || !shared(bytes)) return Promise.resolve(createHash('sha256').update(bytes).digest('hex'));
  return hasher.call({ bytes });
}
