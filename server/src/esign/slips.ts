/**
 * Sealed slips (docs/esign.md): when a procedure sets `settings.sealSlips`, slips 01, 02 and 03
 * carry the receiving unit's seal — a PAdES signature by its certificate — over the slip as
 * issued, with a QR code opening the verification page. The sealed file is sealed once, on the
 * slip's first download, and kept in the register of issued documents; later downloads serve
 * those same bytes. A slip is never withheld for want of a seal: without a usable seal (no key
 * on this server, an expired or revoked certificate) the unsealed slip is served and the reason
 * logged, as the desk must be able to hand the citizen a receipt.
 */
import type { Deps } from '../deps';
import type { DossierRow } from '../dossiers/repo';
import { SLIP_FORM_NUMBER, slipTitle, type SlipKind } from '../slips/index';
import { localSigning } from './keys';
import { signPdf } from './pades';
import { insertIssued, latestKey, sealedSlipOf } from './repo';
import { stampVerification } from './result';
import { checkCertificate, publicId, sha256, verifyUrl, type SignerEntry } from './service';

const SEALABLE: ReadonlySet<SlipKind> = new Set(['receipt', 'supplement-request', 'refusal']);

/** The number a sealed slip has in the register: its form and the dossier, e.g. "01/000.01.31.H99-260306-0001". */
const numberOf = (kind: SlipKind, row: DossierRow): string => `${SLIP_FORM_NUMBER[kind]}/${row.id}`;

/** The sealed file of a slip (sealing it now if it is the first time), or null when the slip is not to be sealed or cannot be. */
export async function sealedSlip(deps: Deps, row: DossierRow, kind: SlipKind, eventSeq: number | null, pdf: Buffer): Promise<{ pdf: Buffer; sha256: string } | null> {
  if (!SEALABLE.has(kind) || eventSeq === null) return null;
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  if (!proc?.definition.settings?.sealSlips) return null;
  const number = numberOf(kind, row);
  const kept = await sealedSlipOf(deps.db, row.id, number, eventSeq);
  if (kept) return { pdf: Buffer.from(kept.pdf, 'base64'), sha256: kept.sha256 };
  const unit = row.receivingUnit;
  const at = deps.clock.now();
  try {
    if (!deps.config.secretsKey) throw new Error('SECRETS_KEY is not set: the unit\'s seal key cannot be used');
    const seal = await checkCertificate(deps, await latestKey(deps.db, 'unit', unit), unit, at, `Đơn vị ${unit}`);
    const unitName = (await deps.directory.unit(unit))?.name ?? unit;
    const id = publicId();
    const title = slipTitle(kind).vi;
    const stamped = await stampVerification(pdf, verifyUrl(deps, id));
    const sealed = await signPdf(stamped, { field: 'dau-co-quan', name: unitName, reason: `Đóng dấu số của ${unitName} – ${title}`, location: unitName, at }, await localSigning.keyFor(deps, seal));
    const signers: SignerEntry[] = [{ role: 'seal', name: unitName, lines: [], serial: seal.serial, unit, at: at.toISOString() }];
    const hash = sha256(sealed);
    await insertIssued(deps.db, {
      id, dossierId: row.id, kind: 'slip', number, title, unit, source: 'template', sha256: hash, pdf: sealed.toString('base64'),
      signers, serials: [seal.serial], issuedAt: at.toISOString(), issuedBy: 'system', eventSeq,
    });
    // Two first downloads at once: both sealed, the register keeps both; serve the first kept.
    const first = await sealedSlipOf(deps.db, row.id, number, eventSeq);
    return first ? { pdf: Buffer.from(first.pdf, 'base64'), sha256: first.sha256 } : { pdf: sealed, sha256: hash };
  } catch (e) {
    deps.logger.error({ err: e, dossier: row.id, kind, unit }, 'slip not sealed: served without the unit\'s seal');
    return null;
  }
}
