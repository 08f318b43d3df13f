import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { BlobStore } from './types';

// Keys are server-generated ("ab/3f0c…"): lower-case letters, digits, '-', '_' and '/'
// between non-empty segments. Anything else (.., absolute paths, backslashes, NUL) is refused.
const KEY = /^[a-z0-9][a-z0-9_-]{0,127}(\/[a-z0-9][a-z0-9_-]{0,127}){0,7}$/;

/** Whether `key` is a well-formed blob key (no traversal, no dots, no absolute path). */
export function isBlobKey(key: string): boolean {
  return KEY.test(key);
}

const TMP = '.tmp';

/**
 * Blobs as files under one folder. A write goes to a temporary file in the same folder tree,
 * is flushed to disk, then renamed into place, so a crash leaves either the whole blob or
 * none (at worst a stray file under `.tmp`, never read).
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  /** The file of a key, checked to stay inside the root. */
  private pathOf(key: string): string {
    if (typeof key !== 'string' || !isBlobKey(key)) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
    const path = resolve(this.root, ...key.split('/'));
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
      throw new Error(`Blob key escapes the store: ${JSON.stringify(key)}`);
    }
    return path;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const tmpDir = join(this.root, TMP);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (e) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw e;
    }
    await handle.close();
    try {
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
