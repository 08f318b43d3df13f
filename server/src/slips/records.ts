/**
 * Issued slips are records (docs/records.md): their data and the PDF's sha256 are stored when
 * the action that issues them commits (./issue.ts); every download renders that stored data,
 * so the bytes never change whatever happens to the dossier afterwards. A later slip of the
 * same kind (a second supplement request, a corrected one) is a new record that names the one
 * it replaces. Form 05 is the live record of hand-offs and is not frozen.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers/repo';
import { renderSlip } from './renderSlip';
import type { SlipData, SlipKind } from './types';
import { buildSlipData, issuingEvent, notIssued, slipSourceFor } from './data';
import { insertSlips, latestSlip, slipBefore, storedSlip } from './repo';
import { sealedSlip } from '../esign/index';

export const sha256 = (pdf: Buffer): string => createHash('sha256').update(pdf).digest('hex');

export interface IssuedSlip {
  pdf: Buffer;
  sha256: string;
  /** The history event that issued it; null for form 05. */
  eventSeq: number | null;
  replacesSeq: number | null;
}

/**
 * The PDF of a slip: the latest of its kind (or the one issued by event `seq`), rendered from
 * the data stored when it was issued; form 05 live. A slip issued before slips were stored at
 * issue is built from the history as it was then and stored on its first download.
 */
export async function issuedSlip(deps: Deps, row: DossierRow, kind: SlipKind, seq?: number): Promise<IssuedSlip> {
  if (kind === 'control') {
    const pdf = await renderSlip(kind, buildSlipData(kind, await slipSourceFor(deps, row, kind)));
    return { pdf, sha256: sha256(pdf), eventSeq: null, replacesSeq: null };
  }
  let record = await latestSlip(deps.db, row.id, kind, seq);
  // The bytes rendered for a first download: served as they are when our insert won.
  let fresh: { pdf: Buffer; sha256: string } | null = null;
  if (!record && seq === undefined) {
    const src = await slipSourceFor(deps, row, kind);
    const event = issuingEvent(src, kind);
    // buildSlipData throws SLIP_NOT_ISSUED when nothing issued it.
    const data = buildSlipData(kind, src);
    const at = event?.seq ?? 0;
    const pdf = await renderSlip(kind, data);
    const earlier = await slipBefore(deps.db, row.id, kind, at);
    // Two first downloads at once: the first insert wins and both serve its data.
    await insertSlips(deps.db, [{
      dossierId: row.id, kind, eventSeq: at, issuedAt: data.issuedAt, data, sha256: sha256(pdf),
      replacesSeq: earlier?.eventSeq ?? null,
    }]);
    record = await storedSlip(deps.db, row.id, kind, at);
    fresh = { pdf, sha256: sha256(pdf) };
  }
  if (!record) throw notIssued(kind, row.id);
  const pdf = fresh && fresh.sha256 === record.sha256 ? fresh.pdf : await renderSlip(kind, record.data as SlipData);
  const hash = sha256(pdf);
  if (hash !== record.sha256) {
    // Same data, different bytes: the renderer (fonts, pdfkit) changed since the slip was issued.
    deps.logger.error({ dossier: row.id, kind, seq: record.eventSeq, stored: record.sha256, rendered: hash }, 'issued slip renders differently');
  }
  // A procedure that seals its slips: the sealed copy of these bytes (esign/slips.ts).
  const sealed = await sealedSlip(deps, row, kind, record.eventSeq, pdf);
  if (sealed) return { pdf: sealed.pdf, sha256: sealed.sha256, eventSeq: record.eventSeq, replacesSeq: record.replacesSeq };
  return { pdf, sha256: record.sha256, eventSeq: record.eventSeq, replacesSeq: record.replacesSeq };
}
