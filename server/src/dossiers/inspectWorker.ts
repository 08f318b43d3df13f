/**
 * The worker of ./inspect.ts: inspects the bytes it is sent (a view of the sender's shared
 * memory) and takes their SHA-256 in the same pass over them, answering by id.
 */
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { inspect } from './fileType';
import { announceReady, asBuffer, type Answer } from '../offload';
import type { Checked } from './inspect';

const port = parentPort;
port?.on('message', (m: { id: number; bytes: Uint8Array; allowed: string[] }) => {
  const answer = (a: Answer<Checked>) => port.postMessage(a);
  const bytes = asBuffer(m.bytes);
  inspect(bytes, m.allowed).then(
    (value) => answer({ id: m.id, value: { ...value, sha256: createHash('sha256').update(bytes).digest('hex') } }),
    (e: unknown) => answer({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
announceReady(port);
