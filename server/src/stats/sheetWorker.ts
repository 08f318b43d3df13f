/**
 * The worker of ./imports.ts: reads the first sheet of an XLSX figures file (./sheet.ts) from
 * the bytes it is sent (a view of the sender's shared memory), answering by id.
 */
import { parentPort } from 'node:worker_threads';
import { readSheet, type SheetLimits, type SheetRead } from './sheet';
import { announceReady, asBuffer, type Answer } from '../offload';

const port = parentPort;
port?.on('message', (m: { id: number; bytes: Uint8Array; limits: SheetLimits }) => {
  const answer = (a: Answer<SheetRead>) => port.postMessage(a);
  readSheet(asBuffer(m.bytes), m.limits).then(
    (value) => answer({ id: m.id, value }),
    (e: unknown) => answer({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
announceReady(port);
