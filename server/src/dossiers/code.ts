import { localDay } from '@motcua/engine';
import type { Tx } from '../db/client';
import type pg from 'pg';
import { takeDossierNumber, takeDossierNumberOutside } from './repo';

/** The local date of an instant as YYMMDD, as a dossier code writes it. */
export function codeDay(at: Date): string {
  const d = localDay(at);
  return `${d.slice(2, 4)}${d.slice(5, 7)}${d.slice(8, 10)}`;
}

/**
 * Next dossier code `<unit>-YYMMDD-XXXX` (Circular 01/2018 Art. 19): the running number of
 * the unit's dossiers that day, taken atomically so concurrent intakes never share one.
 * A number is never given twice; one taken by an intake that then failed may stay unused.
 */
export async function nextDossierCode(tx: Tx, unit: string, at: Date, outside: pg.Pool | null = null): Promise<string> {
  const day = codeDay(at);
  // With a pool outside the transaction (PostgreSQL), the unit's counter is locked for one
  // statement rather than the whole intake, so a unit's intakes no longer queue one behind the
  // other's transaction. As with a sequence, an intake that fails after taking its number leaves
  // it unused (intake checks what it can first). PGlite has one connection: the transaction's.
  const n = outside ? await takeDossierNumberOutside(outside, unit, day) : await takeDossierNumber(tx, unit, day);
  return `${unit}-${day}-${String(n).padStart(4, '0')}`;
}
