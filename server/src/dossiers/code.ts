import { sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { dossierCounters } from '../db/schema';

const VN_OFFSET_MS = 7 * 3_600_000;

/** The local date (UTC+7) of an instant as YYMMDD. */
export function localDay(at: Date): string {
  const d = new Date(at.getTime() + VN_OFFSET_MS).toISOString();
  return `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`;
}

/**
 * Next dossier code `<unit>-YYMMDD-XXXX` (Circular 01/2018 Art. 19): the running number of
 * the unit's dossiers that day, taken atomically so concurrent intakes never share one.
 */
export async function nextDossierCode(tx: Tx, unit: string, at: Date): Promise<string> {
  const day = localDay(at);
  const [row] = await tx.insert(dossierCounters).values({ unit, day, last: 1 })
    .onConflictDoUpdate({ target: [dossierCounters.unit, dossierCounters.day], set: { last: sql`${dossierCounters.last} + 1` } })
    .returning({ last: dossierCounters.last });
  const n = row?.last ?? 1;
  return `${unit}-${day}-${String(n).padStart(4, '0')}`;
}
