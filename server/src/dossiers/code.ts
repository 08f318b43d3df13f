import type { Tx } from '../db/client';
import { takeDossierNumber } from './repo';

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
  const n = await takeDossierNumber(tx, unit, day);
  return `${unit}-${day}-${String(n).padStart(4, '0')}`;
}
