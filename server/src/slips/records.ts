/**
 * Issued slips are records (docs/records.md): the first time a slip issued by a history event
 * is produced, its data and the PDF's sha256 are stored; every later download renders that
 * stored data, so the bytes never change whatever happens to the dossier afterwards. A later
 * slip of the same kind (a second supplement request, a corrected one) is a new record that
 * names the one it replaces. Form 05 is the live record of hand-offs and is not frozen.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers/store';
import { renderSlip } from './renderSlip';
import type { SlipData, SlipKind } from './types';
import { buildSlipData, issuingEvent, slipSourceFor } from './data';
import { insertSlips, slipBefore, storedSlip } from './repo';

export const sha256 = (pdf: Buffer): string => createHash('sha256').update(pdf).digest('hex');

export interface IssuedSlip {
  pdf: Buffer;
  sha256: string;
  /** The history event that issued it; null for form 05. */
  eventSeq: number | null;
  replacesSeq: number | null;
}

/** The PDF of a slip: rendered from its stored data once issued (stored the first time); form 05 live. */
export async function issuedSlip(deps: Deps, row: DossierRow, kind: SlipKind): Promise<IssuedSlip> {
  const src = await slipSourceFor(deps, row, kind);
  if (kind === 'control') {
    const pdf = await renderSlip(kind, buildSlipData(kind, src));
    return { pdf, sha256: sha256(pdf), eventSeq: null, replacesSeq: null };
  }
  const event = issuingEvent(src, kind);
  // buildSlipData throws SLIP_NOT_ISSUED when nothing issued it.
  if (!event) buildSlipData(kind, src);
  const seq = event?.seq ?? 0;
  let record = await storedSlip(deps.db, row.id, kind, seq);
  if (!record) {
    const data = buildSlipData(kind, src);
    const pdf = await renderSlip(kind, data);
    const earlier = await slipBefore(deps.db, row.id, kind, seq);
    // Two first downloads at once: the first insert wins and both serve its data.
    await insertSlips(deps.db, [{
      dossierId: row.id, kind, eventSeq: seq, issuedAt: data.issuedAt, data, sha256: sha256(pdf),
      replacesSeq: earlier?.eventSeq ?? null,
    }]);
    record = await storedSlip(deps.db, row.id, kind, seq);
    if (!record) throw new Error(`slip ${kind} of ${row.id} was not stored`);
  }
  const pdf = await renderSlip(kind, record.data as SlipData);
  const hash = sha256(pdf);
  if (hash !== record.sha256) {
    // Same data, different bytes: the renderer (fonts, pdfkit) changed since the slip was issued.
    deps.logger.error({ dossier: row.id, kind, seq, stored: record.sha256, rendered: hash }, 'issued slip renders differently');
  }
  return { pdf, sha256: record.sha256, eventSeq: seq, replacesSeq: record.replacesSeq };
}
