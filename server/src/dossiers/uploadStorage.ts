/**
 * Where an upload's bytes are received: reused buffers instead of a fresh one per file.
 *
 * multer's memory storage keeps every chunk of a file until its end and then copies them
 * into a new buffer. An upload of megabytes lives long enough for V8 to move those buffers
 * to the old generation, and memory held outside the heap that grows there starts a full
 * garbage collection every few dozen uploads: with a 2 MB paper per submission that cost
 * more server CPU than all the rest of the upload (bench/online.bench.ts). Here each chunk is
 * copied as it arrives into a buffer taken from a small pool (a size class that grows with the
 * bytes received), so chunks die young and the file's buffer is reused for the next upload.
 *
 * A file's bytes (`file.buffer`, a view of the pooled buffer) are valid until it is
 * released: `releaseUpload(file)` once the request's work with them is done (the upload
 * routes do it in a `finally`). multer's `_removeFile` releases them on its own errors.
 */
import type { Request } from 'express';
import type multer from 'multer';

/** Size classes, in bytes: 64 KiB × 4ⁿ (a 2 KB form, a photo, a 2 MB scan, up to the upload limit). */
const MIN_CLASS = 64 * 1024;
/** The largest first buffer of a file; it grows as bytes arrive. */
const FIRST_BYTES = 256 * 1024;

function classOf(size: number): number {
  let c = MIN_CLASS;
  while (c < size) c *= 4;
  return c;
}

/** Buffers kept for reuse, by size class, up to `capBytes` in all. */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private kept = 0;
  /** Buffers out and not given back, so `give` takes back only its own. */
  private readonly out = new WeakSet<Buffer>();

  constructor(private readonly capBytes: number) {}

  /** A buffer of at least `size` bytes (its contents are old bytes, not zeros). */
  take(size: number): Buffer {
    const c = classOf(size);
    const buf = this.free.get(c)?.pop();
    if (buf) this.kept -= buf.length;
    // A buffer of its own (not a slice of Node's shared 8 KiB pool), in shared memory so the
    // upload's checks, hash and file are done by worker threads without copying it (./inspect.ts, ../blobs/local.ts).
    const b = buf ?? Buffer.from(new SharedArrayBuffer(c));
    this.out.add(b);
    return b;
  }

  /** A kept buffer of at least `size` bytes, or null when none is free (nothing is allocated). */
  takeKept(size: number): Buffer | null {
    const buf = this.free.get(classOf(size))?.pop();
    if (!buf) return null;
    this.kept -= buf.length;
    this.out.add(buf);
    return buf;
  }

  /** Gives a buffer back; kept for the next `take` while the pool is under its cap. */
  give(buf: Buffer): void {
    if (!this.out.has(buf)) return;
    this.out.delete(buf);
    if (this.kept + buf.length > this.capBytes) return;
    const list = this.free.get(buf.length) ?? [];
    list.push(buf);
    this.free.set(buf.length, list);
    this.kept += buf.length;
  }

  /** Bytes kept for reuse (tests). */
  get keptBytes(): number {
    return this.kept;
  }
}

/** The pooled buffer behind a received file, to give back on release. */
const backing = new WeakMap<object, { pool: BufferPool; buf: Buffer }>();

/**
 * A multer storage engine that receives a file into a pooled buffer (`file.buffer`, as the
 * memory storage does). `maxBytes` bounds the first buffer (busboy stops a file at the limit).
 */
export function pooledStorage(pool: BufferPool, maxBytes: number): multer.StorageEngine {
  return {
    _handleFile(req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
      const declared = Number(req.headers['content-length']);
      const wanted = Math.min(Number.isFinite(declared) && declared > 0 ? declared : FIRST_BYTES, maxBytes);
      // The first buffer fits what the request says it carries when the pool keeps one that
      // size (no copies as it grows); a new one is at most FIRST_BYTES: memory follows the bytes
      // that arrive, not a length a slow or hostile client merely declares (a request stating
      // the upload limit and sending nothing holds 256 KiB, or a buffer already allocated).
      let buf: Buffer = pool.takeKept(wanted) ?? pool.take(Math.min(wanted, FIRST_BYTES));
      let size = 0;
      file.stream.on('data', (chunk: Buffer) => {
        if (size + chunk.length > buf.length) {
          // Grown by size classes (×4), copying what has arrived: at most a few copies per file.
          const bigger = pool.take(size + chunk.length);
          buf.copy(bigger, 0, 0, size);
          pool.give(buf);
          buf = bigger;
        }
        chunk.copy(buf, size);
        size += chunk.length;
      });
      file.stream.on('end', () => {
        const view = buf.subarray(0, size);
        backing.set(view, { pool, buf });
        cb(null, { buffer: view, size });
      });
    },
    _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
      releaseUpload(file);
      cb(null);
    },
  };
}

/** Gives a received file's buffer back to its pool; its bytes must not be read after. */
export function releaseUpload(file: { buffer?: Buffer } | undefined): void {
  if (!file?.buffer) return;
  const held = backing.get(file.buffer);
  if (!held) return;
  backing.delete(file.buffer);
  file.buffer = Buffer.alloc(0);
  held.pool.give(held.buf);
}
