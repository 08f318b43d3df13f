import { eq } from 'drizzle-orm';
import type { DossierSnapshot } from '@motcua/engine';
import { dossiers } from '../db/schema';
import type { Deps } from '../deps';
import type { PublicDossier } from './events';

/** The longest dossier code accepted from a client (codes are `<unit>-YYMMDD-XXXX`, about 25 characters). */
export const MAX_CODE_LENGTH = 64;

/** A dossier as a citizen tracking it by code may see it: status, current steps by name, deadline. Null when unknown. */
export async function publicDossier(deps: Deps, code: string): Promise<PublicDossier | null> {
  const [row] = await deps.db.select({
    snapshot: dossiers.snapshot, procedureId: dossiers.procedureId, procedureVersion: dossiers.procedureVersion,
  }).from(dossiers).where(eq(dossiers.id, code));
  if (!row) return null;
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  // From the snapshot (ISO timestamps on either driver); only the fields a citizen may see.
  const s = row.snapshot as DossierSnapshot;
  return {
    dossierId: s.dossierId,
    version: s.version,
    status: s.status,
    outcome: s.outcome,
    dueAt: s.clock.dueAt,
    closedAt: s.closedAt,
    current: s.active.map((a) => {
      const name = proc?.steps.get(a.step)?.def.name;
      return { name: name ? { vi: name.vi, ...(name.en ? { en: name.en } : {}) } : null, since: a.enteredAt };
    }),
  };
}
