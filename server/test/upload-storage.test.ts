import { describe, expect, it, vi } from 'vitest';
import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { BufferPool, pooledStorage, releaseUpload } from '../src/dossiers/uploadStorage';

/** Feeds `parts` through the storage engine as busboy would; the file multer would hand the route. */
function receive(storage: ReturnType<typeof pooledStorage>, contentLength: number | null, parts: Buffer[]): Promise<Express.Multer.File> {
  const stream = new PassThrough();
  const file = { fieldname: 'file', originalname: 'a.pdf', mimetype: 'application/pdf', stream } as unknown as Express.Multer.File;
  const req = { headers: contentLength === null ? {} : { 'content-length': String(contentLength) } } as unknown as Request;
  const done = new Promise<Express.Multer.File>((resolve, reject) => {
    storage._handleFile(req, file, (err, info) => (err ? reject(err as Error) : resolve({ ...file, ...info } as Express.Multer.File)));
  });
  for (const p of parts) stream.write(p);
  stream.end();
  return done;
}

describe('pooled upload storage', () => {
  it('receives the bytes as sent, reuses the buffer once released, and never hands out a released one', async () => {
    const pool = new BufferPool(1024 * 1024);
    const storage = pooledStorage(pool, 10 * 1024 * 1024);
    const a = await receive(storage, 3000, [Buffer.from('%PDF-1.4 '), Buffer.alloc(2000, 1)]);
    expect(a.size).toBe(2009);
    expect(a.buffer.subarray(0, 9).toString()).toBe('%PDF-1.4 ');
    const bytes = Buffer.from(a.buffer);
    // Another upload while `a` is held gets another buffer: `a`'s bytes stay as they were.
    const b = await receive(storage, 3000, [Buffer.alloc(2009, 2)]);
    expect(Buffer.compare(a.buffer, bytes)).toBe(0);
    releaseUpload(a);
    expect(a.buffer.length).toBe(0);
    expect(pool.keptBytes).toBe(64 * 1024);
    releaseUpload(a); // twice: nothing more given back
    expect(pool.keptBytes).toBe(64 * 1024);
    releaseUpload(b);
    expect(pool.keptBytes).toBe(128 * 1024);
  });

  it('grows with the bytes that arrive: a body longer than it declared is received whole, and a declared length reserves no more than 256 KiB', async () => {
    const pool = new BufferPool(16 * 1024 * 1024);
    const storage = pooledStorage(pool, 10 * 1024 * 1024);
    const parts = [Buffer.alloc(60 * 1024, 3), Buffer.alloc(60 * 1024, 4)];
    const f = await receive(storage, 100, parts);
    expect(f.size).toBe(120 * 1024);
    expect(Buffer.compare(f.buffer, Buffer.concat(parts))).toBe(0);
    releaseUpload(f);
    // The 64 KiB buffer it outgrew went back when it grew, then the 256 KiB one on release.
    expect(pool.keptBytes).toBe(64 * 1024 + 256 * 1024);
    // A request declaring the whole limit but sending 10 bytes takes a 256 KiB buffer, not 10 MB.
    const small = await receive(storage, 10 * 1024 * 1024, [Buffer.alloc(10, 5)]);
    expect(small.size).toBe(10);
    releaseUpload(small);
    expect(pool.keptBytes).toBe(64 * 1024 + 256 * 1024);
    // 2 MB in 64 KiB chunks arrives intact.
    const big = Array.from({ length: 32 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const g = await receive(storage, 2 * 1024 * 1024 + 200, big);
    expect(Buffer.compare(g.buffer, Buffer.concat(big))).toBe(0);
    releaseUpload(g);
    // The next 2 MB upload starts in the 4 MiB buffer the pool keeps from it: nothing is allocated.
    const kept = pool.keptBytes;
    const grown = vi.spyOn(pool, 'take');
    const h = await receive(storage, 2 * 1024 * 1024 + 200, big);
    expect(grown).not.toHaveBeenCalled();
    expect(pool.keptBytes).toBe(kept - 4 * 1024 * 1024);
    expect(Buffer.compare(h.buffer, Buffer.concat(big))).toBe(0);
    releaseUpload(h);
    expect(pool.keptBytes).toBe(kept);
  });

  it('keeps no more than its cap', () => {
    const pool = new BufferPool(100 * 1024);
    const x = pool.take(10);
    const y = pool.take(10);
    pool.give(x);
    pool.give(y);
    expect(pool.keptBytes).toBe(64 * 1024);
  });
});
