/**
 * Every committed dossier change reaches live screens, even when the process that committed
 * it died before announcing it (or an idempotent replay answered without announcing).
 *
 * The outbox is the committed record: one `dossier.progress` row per history event, written
 * in the change's own statement. Announcing stays on the fast path (the in-process bus,
 * after commit); this module remembers what was announced and marks those rows
 * `announced_at` in one batched statement per second. Rows still unmarked after a grace
 * period (the committing process died, or its marks were lost) are announced again from the
 * dossier's current state, at start (no grace when this process is alone) and periodically.
 * A change may so be announced twice (a screen refetches once more); it is never lost.
 */
import type { Deps } from '../deps';
import { changedNotice } from '../dossiers/service';
import { currentRows, markAnnounced, markAnnouncedGone, unannouncedDossiers } from './repo';
import { isConnectionError, outageLog } from '../db/outage';
import { safeError } from '../http/logSafe';

export interface AnnouncementOptions {
  /** How often announced changes are marked in the outbox. */
  flushMs?: number;
  /** How often unannounced changes are looked for. */
  replayEveryMs?: number;
  /** How old an unannounced change must be to be announced again (another live process may not have marked it yet). */
  graceMs?: number;
  /** Grace of the first replay, at start: 0 when no other process runs. */
  startGraceMs?: number;
}

export interface Announcements {
  /** Announces the changes committed but not announced, older than `graceMs`; returns how many dossiers. */
  replay(graceMs?: number): Promise<number>;
  /** Marks what was announced so far. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Dossiers remembered between two flushes at most; beyond, marks are dropped (announced again later: a duplicate, not a loss). */
const MAX_PENDING_MARKS = 100_000;
const REPLAY_BATCH = 500;


export function startAnnouncements(deps: Deps, options: AnnouncementOptions = {}): Announcements {
  const flushMs = options.flushMs ?? 1000;
  const replayEveryMs = options.replayEveryMs ?? 15_000;
  const graceMs = options.graceMs ?? 15_000;
  const log = deps.logger.child({ module: 'realtime.relay' });
  /** Dossier → highest version announced and not yet marked. */
  let marks = new Map<string, number>();
  let stopped = false;

  const unsubscribe = deps.bus.subscribe((m) => {
    if (m.type !== 'dossier.changed') return;
    if (marks.size >= MAX_PENDING_MARKS && !marks.has(m.dossierId)) return;
    marks.set(m.dossierId, Math.max(marks.get(m.dossierId) ?? 0, m.version));
  });

  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (marks.size === 0) return;
      const batch = marks;
      marks = new Map();
      try {
        await markAnnounced(deps, batch);
      } catch (err) {
        // The database is away: keep the marks for the next flush (what arrived meanwhile wins when higher).
        for (const [id, v] of batch) if ((marks.get(id) ?? 0) < v && (marks.size < MAX_PENDING_MARKS || marks.has(id))) marks.set(id, v);
        // An outage is logged once (db/outage.ts), not every second it lasts.
        if (isConnectionError(err)) outageLog(log).report(err, 'realtime relay');
        else log.warn({ err: safeError(err) }, 'realtime: could not mark announced changes; retrying');
      }
    });
    return flushing;
  };

  const replay = async (grace = graceMs): Promise<number> => {
    await flush();
    let total = 0;
    // Bounded: a mark that cannot be written (database away) must not keep this loop going.
    for (let round = 0; round < 20; round++) {
      const { rows, ids } = await unannouncedDossiers(deps, grace, REPLAY_BATCH);
      if (ids.length === 0) break;
      const current = await currentRows(deps, ids);
      for (const row of current) deps.bus.publish(changedNotice(row));
      const gone = ids.filter((id) => !current.some((r) => r.id === id));
      if (gone.length) await markAnnouncedGone(deps, gone);
      await flush();
      total += ids.length;
      if (rows < REPLAY_BATCH) break;
    }
    if (total) log.info({ dossiers: total }, 'realtime: committed changes that were never announced were announced now');
    return total;
  };

  const flushTimer = setInterval(() => void flush(), flushMs);
  flushTimer.unref();
  let replaying: Promise<unknown> = Promise.resolve();
  const safeReplay = (grace: number) => {
    replaying = replaying.then(() => replay(grace)).catch((err: unknown) => log.warn({ err }, 'realtime: replay of unannounced changes failed; retrying later'));
  };
  safeReplay(options.startGraceMs ?? graceMs);
  const replayTimer = setInterval(() => { if (!stopped) safeReplay(graceMs); }, replayEveryMs);
  replayTimer.unref();

  return {
    replay,
    flush,
    stop: async () => {
      stopped = true;
      clearInterval(flushTimer);
      clearInterval(replayTimer);
      unsubscribe();
      await replaying;
      await flush();
    },
  };
}
