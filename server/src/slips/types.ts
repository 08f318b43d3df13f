/**
 * The slips the one-stop desk prints: forms 01–05 of Circular 01/2018/TT-VPCP, the stop notice
 * of Circular 03/2025 and the notice of lawful extra time (docs/records.md).
 */
export type SlipKind = 'receipt' | 'supplement-request' | 'refusal' | 'apology' | 'control' | 'stop-notice' | 'extra-time-notice';

/** Every slip kind, in form order. */
export const SLIP_KINDS: readonly SlipKind[] = [
  'receipt', 'supplement-request', 'refusal', 'apology', 'control', 'stop-notice', 'extra-time-notice',
];

/** A paper of the dossier: received (form 01) or to be completed (form 02). */
export interface SlipDocument {
  name: string;
  /** "Bản chính", "Bản sao có chứng thực", "Bản sao"… */
  form: string;
  count: number;
}

/** One hand-off between handlers, a row of form 05. `result` is null while the step is still open. */
export interface SlipHandoff {
  from: string;
  to: string;
  /** ISO instant. */
  at: string;
  result: 'early' | 'on-time' | 'late' | null;
  note?: string;
}

/** The signing formula of Decree 30/2020 and who signs, e.g. ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]. */
export interface SlipSigning {
  lines: string[];
  signer: string;
}

/** Plain data the server fills from a dossier; every instant is ISO and printed in Asia/Ho_Chi_Minh. */
export interface SlipData {
  dossierCode: string;
  procedure: { code: string; name: string; legalDeadline: string };
  /** `parentName` ("UBND TỈNH DEMO") is printed above `name` ("UBND XÃ AN PHÚ"). */
  unit: { name: string; parentName?: string };
  applicant: { name: string; address?: string; phone?: string; email?: string };
  receivedAt?: string;
  dueAt?: string;
  /** The appointment before it was moved (form 04, the extra-time notice). */
  originalDueAt?: string;
  /** The law that grants extra time and how many working days were added (extra-time notice). */
  extraTime?: { days: number; basis: string };
  documents?: SlipDocument[];
  reason?: string;
  /** Where the result is collected. */
  returnAt?: string;
  /** Printed as a QR code on form 01; the dossier code is encoded when absent. */
  trackingUrl?: string;
  officer?: { name: string; title?: string };
  signing?: SlipSigning;
  handoffs?: SlipHandoff[];
  contact?: string;
  issuedAt: string;
  /** Locality written before the date line ("An Phú, ngày …"). */
  place?: string;
  /** Number of sets received (form 01); one when absent. */
  sets?: number;
  /** Agencies coordinating the handling (form 05). */
  coordinatingUnits?: string[];
  /** Entry in the tracking book (form 06); left blank for the officer to fill when absent. */
  trackingBook?: { volume: string; entry: string };
  /**
   * Form 01 of a dossier submitted online: an electronic receipt sent to the applicant's
   * portal account, one copy, no applicant signature.
   */
  electronic?: boolean;
  /**
   * An administrative document's number and symbol ("Số: 12/TB-UBND"; the number blank for
   * the clerk to fill when absent), its legal basis ("Căn cứ …") and recipients ("Nơi nhận").
   */
  document?: { number?: string; symbol: string; basis: string[]; recipients: string[] };
  /**
   * A corrected slip names the one it replaces (docs/records.md, "Corrections"): its number (the
   * sequence of the history event that issued it), its issue instant (ISO) and why it was corrected.
   */
  replaces?: { number: string; issuedAt: string; reason: string };
}
