/** Routes of the slips: a dossier's issued slips as PDF (forms 01–05, the notices). */
import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { contentDisposition } from '../dossiers/files';
import { visibleDossier } from '../dossiers/views';
import { SlipDataError } from './format';
import { issuedSlip } from './records';
import { SLIP_KINDS, type SlipKind } from './types';

const SlipParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Union(SLIP_KINDS.map((k) => Type.Literal(k)), { description: 'Form 01 receipt, 02 supplement-request, 03 refusal, 04 apology, 05 control, stop-notice, extra-time-notice' }),
});
const SlipQuery = Type.Object({
  disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')])),
});

export function slipRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/dossiers/:id/slips/:kind',
    summary: 'A slip of the dossier as PDF: receipt (01), supplement-request (02), refusal (03), apology (04), control (05), stop-notice, extra-time-notice. An issued slip is a record: rendered from the data stored when first produced, byte-identical on every download (`Digest` header); form 05 is live. For a new tab, a link from POST /api/auth/download-link',
    tags: ['documents'], access: 'user', params: SlipParams, query: SlipQuery, produces: 'application/pdf',
    errors: { 404: 'No such dossier', 409: 'No action has issued this slip yet (SLIP_NOT_ISSUED)' },
  }, async ({ res, params, query, user }) => {
    const row = await visibleDossier(deps, user!, params.id);
    const kind = params.kind as SlipKind;
    let pdf: Buffer;
    let digest: string;
    try {
      ({ pdf, sha256: digest } = await issuedSlip(deps, row, kind));
    } catch (e) {
      if (!(e instanceof SlipDataError)) throw e;
      deps.logger.error({ dossier: row.id, kind, field: e.field }, 'slip data invalid');
      throw new HttpError(422, e.code, { vi: `Dữ liệu phiếu không hợp lệ (${e.field})`, en: `Slip data invalid (${e.field}): ${e.message}` });
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(pdf.length));
    res.setHeader('Content-Disposition', contentDisposition(query.disposition ?? 'inline', `${kind}-${row.id}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    // The sha256 stored when the slip was issued: the same bytes on every download.
    res.setHeader('Digest', `sha-256=${Buffer.from(digest, 'hex').toString('base64')}`);
    res.status(200).end(pdf);
  });
}
