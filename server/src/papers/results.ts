/**
 * The seam between results stored here (documents typed as a dossier's result) and the
 * register of signed, issued documents kept by the signing work (server/src/esign/, table
 * `issued_documents`): a dossier's result counts as issued electronically when that register
 * holds a result for it. The digitisation counters count dossiers, not files: a dossier adds
 * one to `results` when it first has a result (either way), and one to `resultsElectronic`
 * when its first result enters the register. Both paths call `countResult` in their own
 * transaction, before they write the result.
 */
import type { Db, Tx } from '../db/client';
import { hasIssuedResult } from '../esign/index';
import { bumpPapers, hasResultDocument } from './repo';

/** Whether a dossier's result was issued electronically: the signing register holds one. */
export function issuedElectronically(db: Db | Tx, dossierId: string): Promise<boolean> {
  return hasIssuedResult(db, dossierId);
}

/**
 * Counts a result about to be written for a dossier, in the writer's transaction: `document`
 * for a file typed as the result (papers/service.ts), `register` for a result the signing work
 * issues (esign/service.ts). `unit` is the dossier's competent unit, `day` its local day.
 */
export async function countResult(tx: Tx, dossier: { id: string; competentUnit: string }, day: string, via: 'document' | 'register'): Promise<void> {
  const electronic = await issuedElectronically(tx, dossier.id);
  const had = electronic || (await hasResultDocument(tx, dossier.id));
  await bumpPapers(tx, dossier.competentUnit, day, { results: had ? 0 : 1, resultsElectronic: via === 'register' && !electronic ? 1 : 0 });
}
