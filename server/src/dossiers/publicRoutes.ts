/**
 * The citizen's side of a dossier, no login: its status by code, the rest with a second
 * factor, and the rating once the result is returned (rules: ./lookup.ts and
 * docs/public-lookup.md).
 */
import type { Api } from '../http/api';
import { HttpError } from '../http/errors';
import type { Deps } from '../deps';
import { history, rate } from './service';
import { IdParams, LookupBody, RatingBody } from './schemas';
import { CitizenViewSchema, PublicStatusSchema, RatingResultSchema, citizenView } from './projections';
import { addressOf, hasFactor, lookUp, type Factor } from './lookup';
import type { DossierRow } from './repo';

const unknownCode = (code: string): HttpError => new HttpError(404, 'NOT_FOUND', {
  vi: `Không tìm thấy hồ sơ "${code}"`, en: `No dossier "${code}"`,
});

/** The one answer for an unknown code and for a factor that does not match: neither is told apart. */
const noMatch = (code: string): HttpError => new HttpError(404, 'NOT_FOUND', {
  vi: `Không tìm thấy hồ sơ "${code}" với thông tin xác minh đã nhập`,
  en: `No dossier "${code}" with the verification details given`,
});

const factorMissing = (): HttpError => new HttpError(422, 'FACTOR_REQUIRED', {
  vi: 'Cần mã tra cứu trên mã QR của giấy tiếp nhận, hoặc 4 số cuối số điện thoại hay số giấy tờ của người nộp',
  en: 'Give the lookup key of the receipt\'s QR code, or the last 4 digits of the applicant\'s phone or ID number',
}, [{ path: '/last4', message: { vi: 'Bắt buộc một trong key, last4, applicantId', en: 'One of key, last4, applicantId is required' } }]);

const factorOf = (b: Factor): Factor => ({ key: b.key, last4: b.last4, applicantId: b.applicantId });

/** Everything a citizen holding the second factor may see: no applicant data, no form data, no officers. */
async function fullView(deps: Deps, row: DossierRow) {
  const proc = await deps.directory.procedure(row.procedureId, row.procedureVersion);
  return citizenView(row, proc, await history(deps, row.id));
}

export function publicDossierRoutes(api: Api, deps: Deps): void {
  const limited = { 429: 'Too many lookups or failed factors from this address or for this code (Retry-After)' };

  api.add({
    method: 'get', path: '/api/public/dossiers/:id', summary: 'Whether a dossier code exists, and its status (nothing more without a second factor)',
    tags: ['public'], access: 'public', params: IdParams, response: PublicStatusSchema, errors: { 404: 'No such dossier', ...limited },
  }, async ({ req, res, params }) => {
    const { row } = await lookUp(deps, res, addressOf(req), params.id, {});
    if (!row) throw unknownCode(params.id);
    return { id: row.id, status: row.status, verified: false as const };
  });

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/lookup',
    summary: 'Track a dossier with a second factor: the QR key of the receipt, or the last 4 digits of the applicant\'s phone or ID number',
    tags: ['public'], access: 'public', params: IdParams, body: LookupBody, response: CitizenViewSchema,
    errors: { 403: 'The factor does not match', 404: 'No such dossier', 422: 'No factor given', ...limited },
  }, async ({ req, res, params, body }) => {
    if (!hasFactor(body)) throw factorMissing();
    const { row, verified } = await lookUp(deps, res, addressOf(req), params.id, factorOf(body));
    if (!row) throw unknownCode(params.id);
    if (!verified) {
      throw new HttpError(403, 'FACTOR_MISMATCH', {
        vi: 'Thông tin xác minh không khớp với hồ sơ (mã tra cứu trên mã QR, hoặc 4 số cuối số điện thoại hay số giấy tờ của người nộp)',
        en: 'The verification details do not match the dossier (the QR lookup key, or the last 4 digits of the applicant\'s phone or ID number)',
      });
    }
    return fullView(deps, row);
  });

  api.add({
    method: 'post', path: '/api/public/dossiers/:id/rating', summary: 'Rate the service once the result is returned (with a second factor)', tags: ['public'], access: 'public',
    params: IdParams, body: RatingBody, response: RatingResultSchema,
    errors: { 404: 'No such dossier, or the factor does not match (one answer for both)', 409: 'Not returned yet or already rated', 422: 'No factor given', ...limited },
  }, async ({ req, res, params, body }) => {
    if (!hasFactor(body)) throw factorMissing();
    const { row, verified } = await lookUp(deps, res, addressOf(req), params.id, factorOf(body));
    if (!row || !verified) throw noMatch(params.id);
    return rate(deps, row, body.score, body.comment ?? null);
  });
}
