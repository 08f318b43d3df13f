/**
 * The orphan sweep: no citizen's document stays on disk without its record.
 *
 * An upload stages its file, commits the row, then moves the file into place. A process
 * killed in between leaves a staged file in its own folder `.tmp/<instance>/`. The sweep
 * (at start, then periodically) settles the folders of dead processes — a process of this
 * host whose pid is gone, or any folder whose heartbeat is older than the grace period:
 * a staged file whose row was committed is moved into place, any other is deleted. Blobs
 * in place without a row (left by an older version, which wrote the file before its row)
 * are deleted once older than the grace period; so are stray files directly under `.tmp`.
 */
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Deps } from '../deps';
import { rawOf } from '../db/raw';
import { HEARTBEAT, INSTANCE, TMP, keyOfPart, type LocalBlobStore } from './local';
import { safeError } from '../http/logSafe';
import { startClockedJob, type ClockedJob } from '../jobs/clocked';

export interface SweepResult {
  /** Staged files whose row exists, moved into place. */
  promoted: number;
  /** Staged files without a row, and blobs in place without one, deleted. */
  removed: number;
  /** Staging folders of dead processes cleared. */
  folders: number;
}

const BATCH = 500;
/** Folder names are `<host>.<pid>.<tag>` (local.ts), the host without dots. */
const HOST = INSTANCE.split('.')[0];

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a staging folder belongs to a process that is gone. */
async function deadFolder(dir: string, name: string, cutoffMs: number): Promise<boolean> {
  if (name === INSTANCE) return false;
  const [host, pidText] = name.split('.');
  const pid = Number(pidText);
  // A process of this host that is gone; other hosts (a shared folder) are judged by their heartbeat.
  if (host === HOST && Number.isInteger(pid) && pid > 0 && !processAlive(pid)) return true;
  const beat = await stat(join(dir, HEARTBEAT)).catch(() => stat(dir).catch(() => null));
  return beat === null || beat.mtimeMs < cutoffMs;
}

/** Which of these storage keys have a row: a dossier's document, or a paper of an online draft (online/). */
async function recorded(deps: Deps, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await rawOf(deps.db).query<{ k: string }>({ text: 'select storage_key as k from documents where storage_key = any($1::text[]) union select storage_key from online_draft_files where storage_key = any($1::text[])', values: [keys] });
  return new Set(rows.map((r) => r.k));
}

export async function sweepOrphans(deps: Deps, store: LocalBlobStore): Promise<SweepResult> {
  const cutoffMs = deps.clock.now().getTime() - deps.config.orphanGraceMs;
  const result: SweepResult = { promoted: 0, removed: 0, folders: 0 };
  const tmp = join(store.root, TMP);
  await store.heartbeat().catch(() => undefined);
  const entries = await readdir(tmp, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(tmp, entry.name);
    if (!entry.isDirectory()) {
      // A stray file directly under .tmp (the staging of an older version).
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < cutoffMs) {
        await rm(path, { force: true });
        result.removed++;
      }
      continue;
    }
    if (!(await deadFolder(path, entry.name, cutoffMs))) continue;
    const parts = (await readdir(path)).map((name) => ({ name, key: keyOfPart(name) }));
    const keys = parts.flatMap((p) => (p.key ? [p.key] : []));
    const withRow = await recorded(deps, keys);
    for (const p of parts) {
      const file = join(path, p.name);
      if (p.key && withRow.has(p.key)) {
        const target = store.pathOf(p.key);
        const inPlace = await stat(target).catch(() => null);
        if (!inPlace) {
          await mkdir(dirname(target), { recursive: true });
          await rename(file, target);
          result.promoted++;
          continue;
        }
      } else if (p.name !== HEARTBEAT) {
        result.removed++;
      }
      await rm(file, { force: true });
    }
    await rmdir(path).catch(() => undefined);
    result.folders++;
  }
  // Blobs in place without a row, past the grace period.
  let batch: { key: string; modifiedMs: number }[] = [];
  const settle = async () => {
    const withRow = await recorded(deps, batch.map((b) => b.key));
    for (const b of batch) {
      if (!withRow.has(b.key) && b.modifiedMs < cutoffMs) {
        await store.delete(b.key);
        result.removed++;
      }
    }
    batch = [];
  };
  for await (const blob of store.blobs()) {
    batch.push(blob);
    if (batch.length >= BATCH) await settle();
  }
  await settle();
  return result;
}

export type OrphanSweepJob = ClockedJob<SweepResult>;

/** Sweeps now and then every third of the grace period (by the injected clock), which also keeps this process's heartbeat fresh. */
export function startOrphanSweep(deps: Deps, store: LocalBlobStore, options: { timer?: boolean } = {}): OrphanSweepJob {
  return startClockedJob({
    clock: deps.clock, everyMs: Math.max(1000, Math.floor(deps.config.orphanGraceMs / 3)), timer: options.timer,
    run: async () => {
      const r = await sweepOrphans(deps, store);
      if (r.promoted || r.removed) deps.logger.info(r, 'uploads: orphan files settled');
      return r;
    },
    failed: (err) => deps.logger.warn({ err: safeError(err) }, 'uploads: orphan sweep failed; trying again later'),
  });
}
