import { describe, expect, it } from 'vitest';
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

  it('a body longer than it declared is still received whole (not into the pool)', async () => {
    const pool = new BufferPool(1024 * 1024);
    const storage = pooledStorage(pool, 10 * 1024 * 1024);
    const parts = [Buffer.alloc(60 * 1024, 3), Buffer.alloc(60 * 1024, 4)];
    const f = await receive(storage, 100, parts);
    expect(f.size).toBe(120 * 1024);
    expect(Buffer.compare(f.buffer, Buffer.concat(parts))).toBe(0);
    releaseUpload(f);
    // The pooled buffer it outgrew went back when it switched; the joined one is not the pool's.
    expect(pool.keptBytes).toBe(64 * 1024);
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
