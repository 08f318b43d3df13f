/**
 * The seam between results stored here and the register of signed, issued documents kept by
 * the signing work (issue 14, "Signing"): a result counts as issued electronically when it
 * carries a digital signature. Until that register exists, a result's own metadata says so
 * (`meta.signature`, written only by the signer); the counters ask this function and nothing else.
 */

/** The signature a signer records on a result document (PAdES; set by the signing work, never by a form). */
export interface ResultSignature { by: string; at: string; certificate: string }

/** Whether a result document was issued electronically: signed digitally. Pure. */
export function issuedElectronically(meta: { [k: string]: unknown }): boolean {
  const s = meta['signature'] as Partial<ResultSignature> | null | undefined;
  return typeof s === 'object' && s !== null && typeof s.by === 'string' && typeof s.at === 'string';
}
