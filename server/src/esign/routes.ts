/**
 * Routes of electronic results: the public verification (register entry, file check, CA and CRL),
 * the citizen's download with the lookup's second factor, the officers' list and download, the
 * specialist's uploaded draft, and the administrator's certificates (list, revoke).
 */
import multer from 'multer';
import { Type } from 'typebox';
import type { Deps } from '../deps';
import type { Api } from '../http/api';
import { contentDisposition } from '../http/download';
import { forbidden, HttpError } from '../http/errors';
import type { DossierSnapshot } from '@motcua/engine';
import { addressOf, hasFactor, IdParams, LookupBody, lensesOf, lookUp, receive, type DossierRow } from '../dossiers/index';
import { visibleDossier } from '../dossiers/service';
import type { AuthUser } from '../auth/middleware';
import { visibleUnits } from '../auth/service';
import {
  atSigningStep, caPem, certificates, crlDer, documentById, draftFile, draftInfo, electronicResults, issuedFile, publicDocument, resultsOf, revokeCertificate, uploadDraft, verifyFile,
} from './service';

const Text = Type.String();
const Signer = Type.Object({ role: Type.String(), name: Text, lines: Type.Array(Text), serial: Text, at: Text });
const PublicDocumentSchema = Type.Object({
  id: Text, kind: Text, number: Text, title: Text, unit: Type.Object({ code: Text, name: Text }), issuedAt: Text, sha256: Text, signers: Type.Array(Signer),
}, { description: 'What anyone holding the document may see of it: what it shows, no personal data' });
const SignatureReportSchema = Type.Object({
  field: Type.Union([Text, Type.Null()]), intact: Type.Boolean(), coversWholeFile: Type.Boolean(), signer: Type.Union([Text, Type.Null()]),
  unit: Type.Union([Text, Type.Null()]), serial: Type.Union([Text, Type.Null()]), trusted: Type.Boolean(), signedAt: Type.Union([Text, Type.Null()]),
  validAtSigning: Type.Boolean(), revokedAtSigning: Type.Boolean(), problem: Type.Union([Text, Type.Null()]),
});
const VerificationSchema = Type.Object({
  verdict: Type.Union([Type.Literal('valid'), Type.Literal('tampered'), Type.Literal('unknown')]), sha256: Text, hashMatches: Type.Boolean(),
  document: Type.Union([PublicDocumentSchema, Type.Null()]), signatures: Type.Array(SignatureReportSchema),
});
const ResultItem = Type.Object({ id: Text, number: Text, title: Text, issuedAt: Text, sha256: Text, source: Text, signers: Type.Array(Text) });
const DocIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), docId: Type.String({ minLength: 1, maxLength: 64 }) });
const SerialParams = Type.Object({ serial: Type.String({ pattern: '^[0-9a-fA-F]{2,64}$' }) });
const Certificate = Type.Object({
  serial: Text, holderKind: Text, holder: Text, unit: Type.Union([Text, Type.Null()]), subject: Text, notBefore: Text, notAfter: Text, revokedAt: Type.Union([Text, Type.Null()]),
});
const FileForm = Type.Object({ file: Type.String({ format: 'binary' }), id: Type.Optional(Type.String()) });

const noMatch = (code: string): HttpError => new HttpError(404, 'NOT_FOUND', {
  vi: `Không tìm thấy hồ sơ "${code}" với thông tin xác minh đã nhập`, en: `No dossier "${code}" with the verification details given`,
});
const factorMissing = (): HttpError => new HttpError(422, 'FACTOR_REQUIRED', {
  vi: 'Cần mã tra cứu trên mã QR của giấy tiếp nhận, hoặc 4 số cuối số điện thoại hay số giấy tờ của người nộp',
  en: 'Give the lookup key of the receipt\'s QR code, or the last 4 digits of the applicant\'s phone or ID number',
}, [{ path: '/last4', message: { vi: 'Bắt buộc một trong key, last4, applicantId', en: 'One of key, last4, applicantId is required' } }]);

/**
 * The result a leader signs is the competent unit's document: only a specialist of that unit (own
 * grant, or a delegated specialist role there for the procedure) drafts it. Seeing the dossier is
 * not enough: a delegate sees it through the delegated leader role, and their own specialist grant
 * is at another unit; a consulted unit's specialist sees it through its step.
 */
async function requireDrafter(deps: Deps, user: AuthUser, row: DossierRow): Promise<void> {
  const ok = (await lensesOf(deps, user)).some((l) => l.role === 'specialist' && l.units.includes(row.competentUnit)
    && (l.procedures === null || l.procedures.includes(row.procedureId)));
  if (!ok) {
    throw forbidden({
      vi: `Chỉ chuyên viên của đơn vị giải quyết (${row.competentUnit}) được tải lên dự thảo kết quả của hồ sơ ${row.id}`,
      en: `Only a specialist of the competent unit (${row.competentUnit}) may upload the result draft of dossier ${row.id}`,
    });
  }
}

export function esignRoutes(api: Api, deps: Deps): void {
  const max = deps.config.maxUploadBytes;
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: max, files: 1, fields: 2, parts: 3, fieldSize: 200 } }).single('file');
  const fileOf = async (req: Parameters<typeof receive>[1], res: Parameters<typeof receive>[2]): Promise<{ data: Buffer; id?: string }> => {
    if (!req.is('multipart/form-data')) {
      throw new HttpError(415, 'NOT_MULTIPART', { vi: 'Gửi tệp dưới dạng multipart/form-data, trong trường "file"', en: 'Send the file as multipart/form-data, in the field "file"' });
    }
    const file = await receive(upload, req, res, max);
    if (!file || file.buffer.length === 0) {
      throw new HttpError(422, 'FILE_MISSING', { vi: 'Thiếu tệp trong trường "file"', en: 'No file in the field "file"' }, [{ path: '/file', message: { vi: 'Bắt buộc', en: 'Required' } }]);
    }
    const id = (req.body as { id?: unknown } | undefined)?.id;
    return { data: file.buffer, ...(typeof id === 'string' && id.trim() ? { id: id.trim() } : {}) };
  };
  const sendPdf = (res: Parameters<typeof receive>[2], pdf: Buffer, name: string, sha: string): void => {
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('ETag', `"${sha}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', contentDisposition('attachment', name));
    res.status(200).end(pdf);
  };
  const fileName = (number: string, dossier: string): string => `ket-qua-${dossier}-${number.replace(/\//g, '-')}.pdf`;

  api.add({
    method: 'get', path: '/api/public/esign/crl', summary: 'The local CA\'s certificate revocation list (DER)', tags: ['esign'], access: 'public', produces: 'application/pkix-crl',
  }, async ({ res }) => {
    res.setHeader('Content-Type', 'application/pkix-crl');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.status(200).end(await crlDer(deps));
  });

  api.add({
    method: 'get', path: '/api/public/esign/ca', summary: 'The local CA\'s certificate (PEM)', tags: ['esign'], access: 'public', produces: 'application/x-pem-file',
  }, async ({ res }) => {
    res.setHeader('Content-Type', 'application/x-pem-file');
    res.status(200).end(await caPem(deps));
  });

  api.add({
    method: 'get', path: '/api/public/documents/:id', summary: 'An issued electronic document as the register keeps it (the QR code\'s target): number, title, unit, signers, hash',
    tags: ['esign'], access: 'public', params: IdParams, response: PublicDocumentSchema, errors: { 404: 'Not in the register' },
  }, async ({ params }) => publicDocument(deps, await documentById(deps, params.id)));

  api.add({
    method: 'post', path: '/api/public/documents/verify',
    summary: 'Check a file: multipart "file" (and optionally "id", the register id of the QR code); whether its hash is the issued one, who signed, when, and whether the certificate was valid and unrevoked then',
    tags: ['esign'], access: 'public', multipart: FileForm, response: VerificationSchema, errors: { 404: 'The id given is not in the register', 415: 'Not multipart', 422: 'No file, or more signatures than any issued document carries (TOO_MANY_SIGNATURES)' },
  }, async ({ req, res }) => {
    const { data, id } = await fileOf(req, res);
    if (id) await documentById(deps, id);
    return verifyFile(deps, data, id);
  });

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/results', summary: 'The signed results of a dossier, for the citizen holding the second factor',
    tags: ['public', 'esign'], access: 'public', params: IdParams, body: LookupBody, response: Type.Array(ResultItem),
    errors: { 404: 'No such dossier, or the factor does not match', 422: 'No factor given' },
  }, async ({ req, res, params, body }) => {
    if (!hasFactor(body)) throw factorMissing();
    const { row, verified } = await lookUp(deps, res, addressOf(req), params.id, { key: body.key, last4: body.last4, applicantId: body.applicantId });
    if (!row || !verified) throw noMatch(params.id);
    return resultsOf(deps, row.id);
  });

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/results/:docId/download', summary: 'Download a signed result (with the second factor in the body)',
    tags: ['public', 'esign'], access: 'public', params: DocIdParams, body: LookupBody, produces: 'application/pdf',
    errors: { 404: 'No such dossier or result, or the factor does not match', 422: 'No factor given' },
  }, async ({ req, res, params, body }) => {
    if (!hasFactor(body)) throw factorMissing();
    const { row, verified } = await lookUp(deps, res, addressOf(req), params.id, { key: body.key, last4: body.last4, applicantId: body.applicantId });
    if (!row || !verified) throw noMatch(params.id);
    const { row: doc, pdf } = await issuedFile(deps, row.id, params.docId);
    sendPdf(res, pdf, fileName(doc.number, row.id), doc.sha256);
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/results', summary: 'Signed results issued for a dossier', tags: ['esign'], access: 'user',
    params: IdParams, response: Type.Array(ResultItem), errors: { 404: 'No such dossier' },
  }, async ({ params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    return resultsOf(deps, row.id);
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/results/:docId', summary: 'Download a signed result (to print at the desk or send by post)', tags: ['esign'], access: 'user',
    params: DocIdParams, produces: 'application/pdf', errors: { 404: 'No such dossier or result' },
  }, async ({ res, params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    const { row: doc, pdf } = await issuedFile(deps, row.id, params.docId);
    sendPdf(res, pdf, fileName(doc.number, row.id), doc.sha256);
  });

  api.add({
    method: 'post', path: '/api/dossiers/:id/result-draft', summary: 'Upload the result document (PDF, unsigned) that the approval will sign instead of the template',
    tags: ['esign'], access: ['specialist'], params: IdParams, multipart: FileForm, status: 201,
    response: Type.Object({ sha256: Text, uploadedAt: Text }), errors: { 403: 'Not a specialist of the competent unit', 404: 'No such dossier', 409: 'Closed, or waiting for the leader to sign (DRAFT_LOCKED)', 415: 'Not a PDF', 422: 'Already signed' },
  }, async ({ req, res, params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    await requireDrafter(deps, user!, row);
    if (row.closedAt) throw new HttpError(409, 'DOSSIER_CLOSED', { vi: `Hồ sơ ${row.id} đã kết thúc`, en: `Dossier ${row.id} is closed` });
    const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
    const locked = proc !== null && atSigningStep(proc, row.snapshot as DossierSnapshot);
    const { data } = await fileOf(req, res);
    return uploadDraft(deps, row.id, user!.id, data, locked);
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/result-draft/file', summary: 'The uploaded result draft (PDF, unsigned): what the approval will sign, for the leader to read first',
    tags: ['esign'], access: 'user', params: IdParams, produces: 'application/pdf', errors: { 404: 'No such dossier, or no draft' },
  }, async ({ res, params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    const { pdf, sha256 } = await draftFile(deps, row.id);
    sendPdf(res, pdf, `du-thao-ket-qua-${row.id}.pdf`, sha256);
  });

  api.add({
    method: 'get', path: '/api/dossiers/:id/result-draft', summary: 'The uploaded result draft waiting for the approval\'s signature (null when none: the template is signed)',
    tags: ['esign'], access: 'user', params: IdParams,
    response: Type.Union([Type.Object({ sha256: Text, uploadedAt: Text, uploadedBy: Text, size: Type.Integer() }), Type.Null()]), errors: { 404: 'No such dossier' },
  }, async ({ params, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    return draftInfo(deps, row.id);
  });

  api.add({
    method: 'get', path: '/api/esign/stats', summary: 'Share of approved dossiers whose result was issued electronically (signed), per competent unit: the units you may see (yours and those below)',
    tags: ['esign', 'stats'], access: ['leader', 'admin'],
    response: Type.Array(Type.Object({ unit: Text, approved: Type.Integer(), electronic: Type.Integer(), share: Type.Number() })),
  }, async ({ user }) => {
    // Another commune's figures are theirs to publish, as every other statistic is (stats/routes.ts).
    const visible = await visibleUnits(deps, user!);
    return (await electronicResults(deps)).filter((r) => visible.has(r.unit));
  });

  api.add({
    method: 'get', path: '/api/esign/certificates', summary: 'Signing certificates of the units and officers you administer (the CA\'s too for a province administrator)', tags: ['esign'], access: ['admin'],
    response: Type.Array(Certificate),
  }, async ({ user }) => certificates(deps, user!));

  api.add({
    method: 'post', path: '/api/esign/certificates/:serial/revoke', summary: 'Revoke a certificate: it enters the CA\'s CRL and signs nothing more', tags: ['esign'], access: ['admin'],
    params: SerialParams, response: Type.Object({ serial: Text, revokedAt: Text }),
    errors: { 403: 'The certificate is of a unit or officer outside the units you administer', 404: 'No such certificate', 409: 'Already revoked', 422: 'The CA certificate' },
  }, async ({ params, user }) => revokeCertificate(deps, params.serial, user!));
}
