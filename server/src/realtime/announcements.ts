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
import { and, inArray, sql } from 'drizzle-orm';
import type { DossierSnapshot } from '@motcua/engine';
import type { BusMessage } from '../bus';
import { dossiers, outbox } from '../db/schema';
import type { Deps } from '../deps';
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

/** The live notice of a dossier as it is now (step and action unknown: a replay). */
function noticeOf(row: { id: string; version: number; status: string; snapshot: unknown }): BusMessage {
  const s = row.snapshot as DossierSnapshot;
  return {
    type: 'dossier.changed', dossierId: row.id, version: row.version, status: row.status,
    units: [...new Set([s.routing.receiving, s.routing.competent, s.routing.returnUnit, ...s.active.map((a) => a.unit)])],
    assignees: s.active.map((a) => a.assignee).filter((x): x is string => x !== null),
    step: null, action: null,
  };
}

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
        // A progress row's event id is "<dossier>#<seq>": a notice of version v covers every seq up to v.
        await deps.db.execute(sql`update outbox o set announced_at = now()
          from unnest(${sql.param([...batch.keys()])}::text[], ${sql.param([...batch.values()])}::int[]) as a(dossier_id, version)
          where o.announced_at is null and o.topic = 'dossier.progress' and o.dossier_id = a.dossier_id
            and substring(o.event_id from '#([0-9]+)$')::int <= a.version`);
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
      const rows = await deps.db.select({ dossierId: outbox.dossierId }).from(outbox)
        .where(sql`${outbox.announcedAt} is null and ${outbox.topic} = 'dossier.progress'
          and ${outbox.createdAt} <= now() - make_interval(secs => ${grace / 1000})`)
        .orderBy(outbox.id).limit(REPLAY_BATCH);
      const ids = [...new Set(rows.map((r) => r.dossierId).filter((x): x is string => x !== null))];
      if (ids.length === 0) break;
      const current = await deps.db.select({ id: dossiers.id, version: dossiers.version, status: dossiers.status, snapshot: dossiers.snapshot })
        .from(dossiers).where(inArray(dossiers.id, ids));
      for (const row of current) deps.bus.publish(noticeOf(row));
      const gone = ids.filter((id) => !current.some((r) => r.id === id));
      if (gone.length) {
        await deps.db.update(outbox).set({ announcedAt: sql`now()` })
          .where(and(inArray(outbox.dossierId, gone), sql`${outbox.announcedAt} is null`));
      }
      await flush();
      total += ids.length;
      if (rows.length < REPLAY_BATCH) break;
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
