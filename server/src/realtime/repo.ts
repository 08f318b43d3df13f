/** The statements of the live-update relay: which committed changes were announced. */
import { and, inArray, sql } from 'drizzle-orm';
import { dossiers, outbox } from '../db/schema';
import type { Deps } from '../deps';

/** Marks as announced the progress rows covered by these notices (dossier → highest version announced). */
export async function markAnnounced(deps: Deps, batch: Map<string, number>): Promise<void> {
  // A progress row's event id is "<dossier>#<seq>": a notice of version v covers every seq up to v.
  await deps.db.execute(sql`update outbox o set announced_at = now()
    from unnest(${sql.param([...batch.keys()])}::text[], ${sql.param([...batch.values()])}::int[]) as a(dossier_id, version)
    where o.announced_at is null and o.topic = 'dossier.progress' and o.dossier_id = a.dossier_id
      and substring(o.event_id from '#([0-9]+)$')::int <= a.version`);
}

/** Up to `limit` progress rows older than `graceMs` never announced, and their dossiers. */
export async function unannouncedDossiers(deps: Deps, graceMs: number, limit: number): Promise<{ rows: number; ids: string[] }> {
  const rows = await deps.db.select({ dossierId: outbox.dossierId }).from(outbox)
    .where(sql`${outbox.announcedAt} is null and ${outbox.topic} = 'dossier.progress'
      and ${outbox.createdAt} <= now() - make_interval(secs => ${graceMs / 1000})`)
    .orderBy(outbox.id).limit(limit);
  return { rows: rows.length, ids: [...new Set(rows.map((r) => r.dossierId).filter((x): x is string => x !== null))] };
}

/** What a notice needs of these dossiers, as they are now. */
export function currentRows(deps: Deps, ids: string[]) {
  return deps.db.select({ id: dossiers.id, version: dossiers.version, status: dossiers.status, snapshot: dossiers.snapshot, holders: dossiers.holders })
    .from(dossiers).where(inArray(dossiers.id, ids));
}

/** Dossiers that no longer exist have nothing to announce: their rows are marked. */
export async function markAnnouncedGone(deps: Deps, ids: string[]): Promise<void> {
  await deps.db.update(outbox).set({ announcedAt: sql`now()` })
    .where(and(inArray(outbox.dossierId, ids), sql`${outbox.announcedAt} is null`));
}
