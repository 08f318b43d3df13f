/**
 * Electronic results (docs/esign.md): signing a result as the effect of an approval, and checking
 * a file against the register. A result is issued only when every check passes — the signer's
 * authority at that moment (own grant or a delegation valid then), a certificate of theirs that is
 * in force, not revoked by the CA's CRL, and of the unit that issues — otherwise the action is
 * refused with the reason and nothing is written (the caller's transaction rolls back).
 */
import { createHash, randomBytes } from 'node:crypto';
import { resolveAuthority, type CompiledProcedure, type DossierEvent, type DossierSnapshot, type Effect, type EngineContext, type Transition } from '@motcua/engine';
import { activeDelegationsFor } from '../admin/index';
import { adminScope, isRootAdmin } from '../admin/service';
import type { AuthUser } from '../auth/middleware';
import { actorOf, loadUser } from '../auth/index';
import type { Db, Tx } from '../db/client';
import { within, type Deps } from '../deps';
import type { DossierRow } from '../dossiers/repo';
import { forbidden, HttpError } from '../http/errors';
import { cadesVerify } from './cades';
import { currentCrl, ensureCa, localSigning, revokedAtByCrl, type SigningService } from './keys';
import { MAX_SIGNATURES, findSignatures, signPdf } from './pades';
import { x509 } from './pki';
import {
  allKeys, draftOf, electronicResultShare, dropDraft, insertIssued, issuedById, issuedBySha, issuedOfDossier, keyBySerial, latestKey, putDraft, resultsIssuedInYear, revokeKey,
  type IssuedRow, type KeyRow, type NewIssuedRow,
} from './repo';
import { renderResult, stampVerification } from './result';
import { countResult } from '../papers/index';

export type SignEffect = Extract<Effect, { type: 'signResult' }>;

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** One signature on an issued document, as the register keeps it. */
export interface SignerEntry {
  role: 'personal' | 'seal';
  name: string;
  /** The signing formula lines (TM., KT., TUQ. … and the title) for a personal signature. */
  lines: string[];
  serial: string;
  unit: string;
  at: string;
}

const refuse = (status: number, code: string, vi: string, en: string, path = '/certificate'): HttpError =>
  new HttpError(status, code, { vi, en }, [{ path, message: { vi, en } }]);

/**
 * Whether a certificate may sign for `unit` at `at`: in its validity period, not revoked by then
 * according to the CA's CRL, and issued to that unit (or a unit under it). Throws 422 otherwise.
 */
export async function checkCertificate(deps: Deps, row: KeyRow | undefined, unit: string, at: Date, who: string): Promise<KeyRow> {
  if (!row) {
    throw refuse(422, 'CERTIFICATE_MISSING', `${who} chưa có chứng thư số để ký`, `${who} has no signing certificate`);
  }
  if (at < new Date(row.notBefore)) {
    throw refuse(422, 'CERTIFICATE_NOT_YET_VALID', `Chứng thư số ${row.serial} của ${who} chưa có hiệu lực (từ ${row.notBefore})`, `Certificate ${row.serial} of ${who} is not valid before ${row.notBefore}`);
  }
  if (at > new Date(row.notAfter)) {
    throw refuse(422, 'CERTIFICATE_EXPIRED', `Chứng thư số ${row.serial} của ${who} đã hết hạn (${row.notAfter}); không ký được`, `Certificate ${row.serial} of ${who} expired on ${row.notAfter}; it cannot sign`);
  }
  const revoked = await revokedAtByCrl(deps, row.serial);
  if (revoked && revoked <= at) {
    throw refuse(422, 'CERTIFICATE_REVOKED', `Chứng thư số ${row.serial} của ${who} đã bị thu hồi (danh sách thu hồi CRL, từ ${revoked.toISOString()}); không ký được`, `Certificate ${row.serial} of ${who} is revoked (CRL, since ${revoked.toISOString()}); it cannot sign`);
  }
  const under = row.unit !== null && (row.unit === unit || (await deps.directory.subtree(unit)).includes(row.unit));
  if (!under) {
    throw refuse(422, 'CERTIFICATE_WRONG_UNIT', `Chứng thư số ${row.serial} của ${who} cấp cho đơn vị ${row.unit ?? '(không có)'}, không phải ${unit}`, `Certificate ${row.serial} of ${who} belongs to unit ${row.unit ?? '(none)'}, not ${unit}`);
  }
  return row;
}

/** The signing formula of `userId` for `role` at `unit` at `at` (own grant or a delegation valid then); 403 otherwise. */
export async function signerAuthority(deps: Deps, userId: string, role: string, unit: string, procedure: string, at: Date): Promise<{ lines: string[]; signer: string }> {
  const user = await loadUser(deps, userId);
  const decision = user
    ? resolveAuthority({ actor: actorOf(user), role, unit, procedure, now: at.toISOString(), delegations: await activeDelegationsFor(deps, userId, at), units: await deps.directory.unitInfos() })
    : null;
  if (!decision?.ok) {
    const why = decision && !decision.ok ? decision.message : { vi: 'tài khoản không hoạt động', en: 'the account is not active' };
    throw refuse(403, 'SIGNER_NO_AUTHORITY', `Người ký không có thẩm quyền ký tại ${unit} vào lúc này: ${why.vi}`, `The signer has no authority to sign at ${unit} at this moment: ${why.en}`, '/signer');
  }
  return { lines: decision.signing.lines, signer: decision.signing.signer };
}

export const publicId = (): string => randomBytes(15).toString('base64url').replace(/[-_]/g, 'x');
export const verifyUrl = (deps: Deps, id: string): string => `${deps.config.publicUrl.replace(/\/$/, '')}/xac-thuc/${id}`;

function facts(proc: CompiledProcedure, s: DossierSnapshot): { label: string; value: string }[] {
  const props = (proc.definition.data as { properties?: { [k: string]: { title?: string } } } | undefined)?.properties ?? {};
  return Object.entries(s.data)
    .filter(([k, v]) => (typeof v === 'string' || typeof v === 'number') && String(v).length > 0 && k in props)
    .slice(0, 12)
    .map(([k, v]) => ({ label: props[k]?.title?.replace(/\s*\(.*\)$/, '') ?? k, value: String(v) }));
}

export interface SignRequest {
  proc: CompiledProcedure;
  row: DossierRow;
  snapshot: DossierSnapshot;
  effect: SignEffect;
  /** Who signs (the officer who took the action) and the role the action is taken in. */
  actor: { id: string; name: string };
  role: string;
  at: Date;
  eventSeq: number | null;
}

/** Builds, signs and seals the result; the register row to insert. Throws (nothing written) when any check fails. */
export async function signResult(deps: Deps, req: SignRequest, signing: SigningService = localSigning): Promise<NewIssuedRow> {
  const { effect, at } = req;
  const authority = await signerAuthority(deps, req.actor.id, req.role, effect.unit, req.proc.definition.id, at);
  const personal = await checkCertificate(deps, await latestKey(deps.db, 'officer', req.actor.id), effect.unit, at, req.actor.name);
  const seal = effect.seal ? await checkCertificate(deps, await latestKey(deps.db, 'unit', effect.unit), effect.unit, at, `Đơn vị ${effect.unit}`) : null;
  const unit = await deps.directory.unit(effect.unit);
  const parent = unit?.parent ? await deps.directory.unit(unit.parent) : null;
  const unitName = unit?.name ?? effect.unit;
  const year = Number(at.toISOString().slice(0, 4));
  const number = `${(await resultsIssuedInYear(deps.db, effect.unit, year)) + 1}/${year}/KQ`;
  const id = publicId();
  const url = verifyUrl(deps, id);
  const title = effect.title?.vi ?? req.proc.definition.catalog.name.vi;
  const draft = await draftOf(deps.db, req.row.id);
  let pdf: Buffer;
  let rect: [number, number, number, number] | undefined;
  if (draft) {
    pdf = await stampVerification(Buffer.from(draft.pdf, 'base64'), url);
  } else {
    const rendered = await renderResult({
      unit: { name: unitName, ...(parent ? { parentName: parent.name } : {}) }, number, issuedAt: at.toISOString(), title,
      procedure: { code: req.proc.definition.catalog.code, name: req.proc.definition.catalog.name.vi },
      dossierCode: req.row.id, applicant: req.snapshot.applicant.name, facts: facts(req.proc, req.snapshot),
      signing: authority, verifyUrl: url,
    });
    pdf = rendered.pdf;
    rect = rendered.signatureRect;
  }
  const signers: SignerEntry[] = [];
  pdf = await signPdf(pdf, {
    field: 'chu-ky-ca-nhan', name: authority.signer, reason: [...authority.lines, `Ký kết quả hồ sơ ${req.row.id}`].join(' – '),
    location: unitName, at, ...(rect ? { rect } : {}),
  }, await signing.keyFor(deps, personal));
  signers.push({ role: 'personal', name: authority.signer, lines: authority.lines, serial: personal.serial, unit: effect.unit, at: at.toISOString() });
  if (seal) {
    pdf = await signPdf(pdf, { field: 'dau-co-quan', name: unitName, reason: `Đóng dấu số của ${unitName}`, location: unitName, at }, await signing.keyFor(deps, seal));
    signers.push({ role: 'seal', name: unitName, lines: [], serial: seal.serial, unit: effect.unit, at: at.toISOString() });
  }
  return {
    id, dossierId: req.row.id, kind: 'result', number, title, unit: effect.unit, source: draft ? 'upload' : 'template',
    sha256: sha256(pdf), pdf: pdf.toString('base64'), signers, serials: signers.map((s) => s.serial),
    issuedAt: at.toISOString(), issuedBy: req.actor.id, eventSeq: req.eventSeq,
    // Kept in the applicant's data store (papers/), as results typed in documents are.
    holderId: /^\d{12}$/.test(req.row.applicantId ?? '') ? req.row.applicantId : null, paperType: effect.paperType ?? null,
  };
}

export interface SignedResults {
  /** Writes the register rows in the caller's transaction, after the dossier row. */
  store(): Promise<void>;
}

/**
 * The results a transition signs (its `signResult` effects), built and signed before the commit:
 * a refusal throws, so the action is not applied and nothing is issued.
 */
export async function signResults(deps: Deps, tx: Tx, proc: CompiledProcedure, before: DossierRow | null, transition: Transition, ctx: EngineContext): Promise<SignedResults> {
  const effects = transition.effects.filter((e): e is SignEffect => e.type === 'signResult');
  if (effects.length === 0 || before === null) return { store: async () => {} };
  const d = within(deps, tx as unknown as Db);
  const applied = transition.events.find((e): e is Extract<DossierEvent, { type: 'action.applied' }> => e.type === 'action.applied');
  const role = applied ? proc.actions.get(`${applied.step}:${applied.action}`)?.role ?? 'leader' : 'leader';
  const rows: NewIssuedRow[] = [];
  for (const effect of effects) {
    rows.push(await signResult(d, {
      proc, row: before, snapshot: transition.snapshot, effect, actor: { id: ctx.actor.id, name: ctx.actor.name }, role,
      at: new Date(ctx.now), eventSeq: applied?.seq ?? null,
    }));
  }
  const day = (await deps.directory.calendar(before.competentUnit)).localDate(new Date(ctx.now).getTime());
  return {
    store: async () => {
      // The digitisation counters (papers/results.ts): this dossier's result is issued electronically.
      await countResult(tx, before, day, 'register');
      for (const r of rows) await insertIssued(tx, r);
      await dropDraft(tx, before.id);
    },
  };
}

// ---- Verification

export interface SignatureReport {
  field: string | null;
  /** The signature's bytes and CMS hold (pkijs's verifier): nothing it covers was changed. */
  intact: boolean;
  /** It covers the whole file: nothing was appended after it. */
  coversWholeFile: boolean;
  signer: string | null;
  unit: string | null;
  serial: string | null;
  /** Issued by this system's CA (the certificate's signature verifies with the CA key). */
  trusted: boolean;
  /** The time the register records for it (else the time claimed in the file). */
  signedAt: string | null;
  /** The certificate was in its validity period then. */
  validAtSigning: boolean;
  /** The CA's CRL records it revoked on or before then. */
  revokedAtSigning: boolean;
  problem: string | null;
}

export interface VerificationReport {
  /** valid: the file is the issued one and every signature holds; tampered: a signature fails or the hash differs; unknown: not in the register. */
  verdict: 'valid' | 'tampered' | 'unknown';
  sha256: string;
  /** The file's hash equals the issued document's. */
  hashMatches: boolean;
  document: PublicDocument | null;
  signatures: SignatureReport[];
}

/** What anyone may see of an issued document: what the document itself shows, no more. */
export interface PublicDocument {
  id: string;
  kind: string;
  number: string;
  title: string;
  unit: { code: string; name: string };
  issuedAt: string;
  sha256: string;
  signers: { role: string; name: string; lines: string[]; serial: string; at: string }[];
}

export async function publicDocument(deps: Deps, row: IssuedRow): Promise<PublicDocument> {
  const unit = await deps.directory.unit(row.unit);
  return {
    id: row.id, kind: row.kind, number: row.number, title: row.title, unit: { code: row.unit, name: unit?.name ?? row.unit },
    // ISO 8601 as every other time the API answers: the database's text form ("2026-12-06 08:48:33.882+00") is not one every browser parses.
    issuedAt: new Date(row.issuedAt).toISOString(), sha256: row.sha256,
    signers: (row.signers as SignerEntry[]).map((s) => ({ role: s.role, name: s.name, lines: s.lines, serial: s.serial, at: s.at })),
  };
}

export async function documentById(deps: Deps, id: string): Promise<IssuedRow> {
  const row = await issuedById(deps.db, id);
  if (!row) throw new HttpError(404, 'NOT_FOUND', { vi: `Không có văn bản điện tử mã "${id}" trong sổ cấp`, en: `No electronic document "${id}" in the register` });
  return row;
}

const fromPdfDate = (d: string | null): string | null =>
  d ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}Z` : null;

/**
 * Checks a file: its hash against the register (by `id` when given, else by the hash), then each
 * signature with pkijs (digest and signature), its certificate against the CA, and the
 * certificate's validity and revocation (CRL) at the time it signed.
 */
export async function verifyFile(deps: Deps, file: Buffer, id?: string): Promise<VerificationReport> {
  const hash = sha256(file);
  const record = id ? await issuedById(deps.db, id) : await issuedBySha(deps.db, hash);
  const ca = await ensureCa(deps);
  const caCert = new x509.X509Certificate(ca.certificate);
  const registered = (record?.signers as SignerEntry[] | undefined) ?? [];
  const found = findSignatures(file);
  if (found.length > MAX_SIGNATURES) {
    throw new HttpError(422, 'TOO_MANY_SIGNATURES', {
      vi: `Tệp có hơn ${MAX_SIGNATURES} chữ ký số, nhiều hơn mọi văn bản được cấp: không kiểm tra tệp này`,
      en: `The file has more than ${MAX_SIGNATURES} digital signatures, more than any issued document: it is not checked`,
    }, [{ path: '/file', message: { vi: 'Quá nhiều chữ ký', en: 'Too many signatures' } }]);
  }
  const signatures: SignatureReport[] = [];
  for (const [i, one] of found.entries()) {
    const check = await cadesVerify(one.cms, one.signed());
    let cert: x509.X509Certificate | null;
    try { cert = check.signer ? new x509.X509Certificate(new Uint8Array(check.signer)) : null; } catch { cert = null; }
    const serial = cert?.serialNumber.toLowerCase() ?? null;
    const trusted = cert ? await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }).catch(() => false) : false;
    const entry = registered.find((s) => s.serial === serial) ?? registered[i];
    const signedAt = entry?.at ?? fromPdfDate(one.claimedAt);
    const when = signedAt ? new Date(signedAt) : null;
    const keyRow = serial ? await keyBySerial(deps.db, serial) : undefined;
    const revoked = serial && trusted ? await revokedAtByCrl(deps, serial) : null;
    signatures.push({
      field: one.field, intact: check.valid, coversWholeFile: one.coversWholeFile,
      signer: cert?.subjectName.getField('CN')[0] ?? null, unit: cert?.subjectName.getField('O')[0] ?? keyRow?.unit ?? null, serial, trusted,
      signedAt, validAtSigning: !!(cert && when && when >= cert.notBefore && when <= cert.notAfter),
      revokedAtSigning: !!(revoked && when && revoked <= when), problem: check.problem,
    });
  }
  const hashMatches = !!record && record.sha256 === hash;
  const allHold = signatures.length > 0 && signatures.every((s) => s.intact && s.trusted && s.validAtSigning && !s.revokedAtSigning)
    && signatures[signatures.length - 1]?.coversWholeFile === true;
  const verdict = record === undefined && !hashMatches ? (signatures.length && !allHold ? 'tampered' : 'unknown') : hashMatches && allHold ? 'valid' : 'tampered';
  return { verdict, sha256: hash, hashMatches, document: record ? await publicDocument(deps, record) : null, signatures };
}

// ---- Reading and managing

export interface ResultListItem { id: string; number: string; title: string; issuedAt: string; sha256: string; source: string; signers: string[] }

export async function resultsOf(deps: Deps, dossierId: string): Promise<ResultListItem[]> {
  return (await issuedOfDossier(deps.db, dossierId)).filter((r) => r.kind === 'result').map((r) => ({
    id: r.id, number: r.number, title: r.title, issuedAt: new Date(r.issuedAt).toISOString(), sha256: r.sha256, source: r.source,
    signers: (r.signers as SignerEntry[]).map((s) => s.name),
  }));
}

/** The signed file of a dossier's issued document, checked against the register's hash. */
export async function issuedFile(deps: Deps, dossierId: string, id: string): Promise<{ row: IssuedRow; pdf: Buffer }> {
  const row = await issuedById(deps.db, id);
  if (!row || row.dossierId !== dossierId) throw new HttpError(404, 'NOT_FOUND', { vi: `Hồ sơ ${dossierId} không có văn bản "${id}"`, en: `Dossier ${dossierId} has no document "${id}"` });
  const pdf = Buffer.from(row.pdf, 'base64');
  if (sha256(pdf) !== row.sha256) {
    throw new HttpError(409, 'DOCUMENT_CHECKSUM_MISMATCH', { vi: 'Văn bản đã lưu không khớp mã kiểm tra; hãy báo quản trị hệ thống', en: 'The stored document does not match its checksum; tell the administrator' });
  }
  return { row, pdf };
}

/** The result draft waiting for the approval's signature, if any (its file is not sent back: the specialist holds it). */
export async function draftInfo(deps: Deps, dossierId: string): Promise<{ sha256: string; uploadedAt: string; uploadedBy: string; size: number } | null> {
  const row = await draftOf(deps.db, dossierId);
  return row ? { sha256: row.sha256, uploadedAt: row.uploadedAt, uploadedBy: row.uploadedBy, size: Buffer.from(row.pdf, 'base64').length } : null;
}

/** The uploaded result draft's bytes, for the leader to read before signing (404 when none). */
export async function draftFile(deps: Deps, dossierId: string): Promise<{ pdf: Buffer; sha256: string }> {
  const row = await draftOf(deps.db, dossierId);
  if (!row) {
    throw new HttpError(404, 'NOT_FOUND', { vi: `Hồ sơ ${dossierId} chưa có dự thảo kết quả tải lên`, en: `Dossier ${dossierId} has no uploaded result draft` });
  }
  return { pdf: Buffer.from(row.pdf, 'base64'), sha256: row.sha256 };
}

/**
 * Whether the dossier waits at a step one of whose actions signs the result: the leader may
 * be reading the draft there, so it must not change under them (they return the dossier to
 * the specialist to have it changed).
 */
export function atSigningStep(proc: CompiledProcedure, snapshot: DossierSnapshot): boolean {
  const open = new Set(snapshot.active.map((a) => a.step));
  for (const info of proc.actions.values()) {
    if (open.has(info.step) && (info.def.effects ?? []).some((e) => e.type === 'signResult')) return true;
  }
  return false;
}

/** Keeps the specialist's uploaded result (a PDF) until the approval signs it. */
export async function uploadDraft(deps: Deps, dossierId: string, userId: string, pdf: Buffer, locked = false): Promise<{ sha256: string; uploadedAt: string }> {
  if (locked) {
    throw new HttpError(409, 'DRAFT_LOCKED', {
      vi: `Hồ sơ ${dossierId} đang chờ lãnh đạo ký: không thay dự thảo kết quả lúc này (lãnh đạo trả lại hồ sơ thì mới thay được)`,
      en: `Dossier ${dossierId} is waiting for the leader's signature: its result draft cannot change now (it can once the leader returns the dossier)`,
    });
  }
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new HttpError(415, 'NOT_PDF', { vi: 'Văn bản kết quả phải là tệp PDF', en: 'The result document must be a PDF' }, [{ path: '/file', message: { vi: 'Không phải PDF', en: 'Not a PDF' } }]);
  }
  if (findSignatures(pdf, 0).length > 0) {
    throw new HttpError(422, 'ALREADY_SIGNED', { vi: 'Tệp đã có chữ ký số; hãy tải lên bản chưa ký để lãnh đạo ký khi phê duyệt', en: 'The file is already signed; upload the unsigned draft, the leader signs it on approval' }, [{ path: '/file', message: { vi: 'Đã ký', en: 'Signed' } }]);
  }
  const row = { dossierId, pdf: pdf.toString('base64'), sha256: sha256(pdf), uploadedBy: userId, uploadedAt: deps.clock.now().toISOString() };
  await putDraft(deps.db, row);
  return { sha256: row.sha256, uploadedAt: row.uploadedAt };
}

/**
 * The signing certificates an administrator manages: those of the units in their scope (their
 * units and every unit below) and of officers of those units; the CA's for a province-level
 * (root) administrator only.
 */
export async function certificates(deps: Deps, user: AuthUser): Promise<{ serial: string; holderKind: string; holder: string; unit: string | null; subject: string; notBefore: string; notAfter: string; revokedAt: string | null }[]> {
  const scope = await adminScope(deps, user);
  const root = await isRootAdmin(deps, user);
  return (await allKeys(deps.db)).filter((r) => (r.unit === null ? root : scope.has(r.unit))).map((r) => ({ serial: r.serial, holderKind: r.holderKind, holder: r.holder, unit: r.unit, subject: r.subject, notBefore: r.notBefore, notAfter: r.notAfter, revokedAt: r.revokedAt }));
}

/**
 * Revokes a certificate of the administrator's scope: a provincial administrator any unit's or
 * officer's of the province, a commune's administrator only those of their own unit (and units
 * below it). Outside the scope the answer is 403 and nothing changes.
 */
export async function revokeCertificate(deps: Deps, serial: string, user?: AuthUser): Promise<{ serial: string; revokedAt: string }> {
  const at = deps.clock.now().toISOString();
  const row = await keyBySerial(deps.db, serial);
  if (!row) throw new HttpError(404, 'NOT_FOUND', { vi: `Không có chứng thư số ${serial}`, en: `No certificate ${serial}` });
  // No user: called by the server itself (tests, maintenance), not through the API.
  if (user && row.holderKind !== 'ca') {
    const scope = await adminScope(deps, user);
    if (row.unit === null || !scope.has(row.unit)) {
      throw forbidden({
        vi: `Chứng thư số ${row.serial} thuộc đơn vị ${row.unit ?? '(không có)'}, ngoài phạm vi bạn quản trị (đơn vị của bạn và các đơn vị trực thuộc)`,
        en: `Certificate ${row.serial} belongs to unit ${row.unit ?? '(none)'}, outside the units you administer (your own and those below it)`,
      });
    }
  }
  if (row.holderKind === 'ca') throw new HttpError(422, 'CA_NOT_REVOCABLE', { vi: 'Không thu hồi chứng thư gốc của CA tại đây', en: 'The CA certificate is not revoked here' });
  if (!(await revokeKey(deps.db, serial, at))) throw new HttpError(409, 'ALREADY_REVOKED', { vi: `Chứng thư số ${serial} đã bị thu hồi`, en: `Certificate ${serial} is already revoked` });
  return { serial: row.serial, revokedAt: at };
}

export async function crlDer(deps: Deps): Promise<Buffer> {
  return Buffer.from((await currentCrl(deps)).rawData);
}

export async function caPem(deps: Deps): Promise<string> {
  return (await ensureCa(deps)).certificate;
}

/** Per competent unit: dossiers approved, how many got an electronic (signed) result, and the share. */
export async function electronicResults(deps: Deps): Promise<{ unit: string; approved: number; electronic: number; share: number }[]> {
  return (await electronicResultShare(deps.db)).map((r) => ({ ...r, share: r.approved ? r.electronic / r.approved : 0 }));
}
export { ensureDemoPki } from './keys';
