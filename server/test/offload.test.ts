/**
 * Calls to a worker thread (../src/offload.ts): answers come back by id, a thrown
 * error comes back as itself, a worker's death fails the calls it had not answered and the
 * next call starts a new worker; and an upload's checks give the same verdict on the worker
 * (bytes in shared memory) as on this thread.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerCalls, WorkerGone, WorkerTimeout } from '../src/offload';
import { inspectUpload, stopInspector } from '../src/dossiers/inspect';
import { inspect } from '../src/dossiers/fileType';

/** A worker that doubles `n`, throws for a negative one, exits for zero and never answers 13. */
const DOUBLER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.n === 0) process.exit(7);
  if (m.n === 13) for (;;);
  parentPort.postMessage(m.n < 0 ? { id: m.id, error: 'negative: ' + m.n } : { id: m.id, value: m.n * 2 });
});`;

afterAll(async () => stopInspector());

describe('worker calls', () => {
  it('answers each call by its id, passes a thrown error back, and restarts a worker that died', async () => {
    let started = 0;
    const calls = new WorkerCalls<{ n: number }, number>(() => {
      started++;
      return new Worker(DOUBLER, { eval: true });
    });
    const three = [calls.call({ n: 1 }), calls.call({ n: 20 }), calls.call({ n: 300 })];
    expect(calls.inFlight).toBe(3);
    expect(await Promise.all(three)).toEqual([2, 40, 600]);
    expect(calls.inFlight).toBe(0);
    await expect(calls.call({ n: -4 })).rejects.toThrow('negative: -4');
    expect(started).toBe(1);
    const dying = calls.call({ n: 0 });
    await expect(dying).rejects.toBeInstanceOf(WorkerGone);
    expect(await calls.call({ n: 5 })).toBe(10);
    expect(started).toBe(2);
    await calls.stop();
  });

  it('stops a worker that does not answer in time: that call times out, the others it held fail, the next call starts a new one', async () => {
    let started = 0;
    const calls = new WorkerCalls<{ n: number }, number>(() => {
      started++;
      return new Worker(DOUBLER, { eval: true });
    });
    expect(await calls.call({ n: 2 }, 5000)).toBe(4);
    const stuck = calls.call({ n: 13 }, 300);
    const behind = calls.call({ n: 3 });
    await expect(stuck).rejects.toBeInstanceOf(WorkerTimeout);
    await expect(behind).rejects.toBeInstanceOf(WorkerGone);
    expect(await calls.call({ n: 4 }, 5000)).toBe(8);
    expect(started).toBe(2);
    await calls.stop();
  });

  it('counts a call\'s time from the worker\'s readiness, not its start: a slow start does not time the work out', async () => {
    // The worker spends 800 ms starting (as loading TypeScript did on a busy machine) before it listens.
    const slow = `const end = Date.now() + 800; while (Date.now() < end);
${DOUBLER}
parentPort.postMessage({ ready: true });`;
    const calls = new WorkerCalls<{ n: number }, number>(() => new Worker(slow, { eval: true }), { startMs: 30_000 });
    expect(await calls.call({ n: 21 }, 300)).toBe(42);
    // Once ready, the limit runs at once.
    await expect(calls.call({ n: 13 }, 300)).rejects.toBeInstanceOf(WorkerTimeout);
    await calls.stop();
  });

  it('fails the calls of a worker that never says it is ready, and starts a new one for the next call', async () => {
    let started = 0;
    const calls = new WorkerCalls<{ n: number }, number>(() => {
      started++;
      return new Worker(started === 1 ? DOUBLER : `${DOUBLER}\nparentPort.postMessage({ ready: true });`, { eval: true });
      // The limit is for the second worker too, which must start within it: on a machine busy
      // with other tests a worker took over 200 ms to start.
    }, { startMs: 1500 });
    await expect(calls.call({ n: 13 }, 100)).rejects.toBeInstanceOf(WorkerGone);
    expect(await calls.call({ n: 5 }, 5000)).toBe(10);
    expect(started).toBe(2);
    await calls.stop();
  });
});

describe('upload checks on the worker', () => {
  const inShared = (b: Buffer): Buffer => {
    const s = Buffer.from(new SharedArrayBuffer(b.length));
    b.copy(s);
    return s;
  };
  const allowed = ['application/pdf', 'image/png'];
  const cases: [string, Buffer][] = [
    ['a plain PDF', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')],
    ['a PDF opening with JavaScript', Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF')],
    ['HTML', Buffer.from('<!doctype html><html><body>hi</body></html>')],
  ];

  it.each(cases)('gives the same verdict for %s on the worker as on this thread', async (_what, bytes) => {
    const here = { ...(await inspect(bytes, allowed)), sha256: createHash('sha256').update(bytes).digest('hex') };
    expect(await inspectUpload(inShared(bytes), allowed, 10_000)).toEqual(here);
  });

  it('finds the script, the type and the SHA-256 on the worker', async () => {
    expect(await inspectUpload(inShared(cases[1]![1]), allowed, 10_000)).toEqual({
      detected: { mime: 'application/pdf', ext: 'pdf' }, active: '/JavaScript', sha256: createHash('sha256').update(cases[1]![1]).digest('hex'),
    });
    expect((await inspectUpload(inShared(cases[0]![1]), allowed, 10_000)).active).toBeNull();
  });
});
