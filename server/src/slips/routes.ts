/** Routes of the slips: a dossier's issued slips as PDF (forms 01–05, the notices); a desk's tracking book (form 06). */
import Type from 'typebox';
import { visibleUnits } from '../auth/service';
import { forbidden, notFound } from '../http/errors';
import { trackingBook } from './book';
import { trackingBookPdf, trackingBookXlsx } from './bookRender';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { contentDisposition } from '../http/download';
import { visibleDossier } from '../dossiers/service';
import { checkDay } from '../stats/index';
import { SlipDataError } from './format';
import { issuedSlip } from './records';
import { SLIP_KINDS, type SlipKind } from './types';

const SlipParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Union(SLIP_KINDS.map((k) => Type.Literal(k)), { description: 'Form 01 receipt, 02 supplement-request, 03 refusal, 04 apology, 05 control, stop-notice, extra-time-notice' }),
});
const SlipQuery = Type.Object({
  disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')])),
  seq: Type.Optional(Type.Integer({ minimum: 1, description: 'The slip issued by this history event (its number); absent: the latest of its kind. A replaced slip still renders as it was issued' })),
});

const Day = (what: string) => Type.String({ format: 'date', description: `${what}, local date YYYY-MM-DD (inclusive)` });
const BookQuery = Type.Object({
  unit: Type.String({ minLength: 1, maxLength: 50, description: 'The receiving unit whose one-stop desk keeps the book' }),
  from: Day('First day'),
  to: Day('Last day'),
  format: Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('xlsx')], { default: 'pdf' })),
});

/** Who may read a desk's book: its desk officers, the leaders and administrators above it. */
const BOOK_READERS = ['desk', 'leader', 'admin'];

export function slipRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/slips/tracking-book', tags: ['documents'], access: BOOK_READERS, query: BookQuery,
    produces: 'application/pdf',
    summary: 'The tracking book of a one-stop desk (Sổ theo dõi hồ sơ, form 06 of Circular 01/2018/TT-VPCP) for a period: PDF (default) or XLSX',
    errors: {
      400: 'Bad dates or period', 403: 'Not a desk officer, leader or administrator of the unit', 404: 'Unknown unit',
      422: 'More than 2,000 dossiers in the period (BOOK_TOO_LARGE, pointer /to): print shorter periods',
    },
  }, async ({ query, user, res }) => {
    if (!(await deps.directory.unit(query.unit))) throw notFound({ vi: 'đơn vị', en: 'unit' }, query.unit);
    const readers = user!.grants.filter((g) => BOOK_READERS.includes(g.role));
    if (!(await visibleUnits(deps, { ...user!, grants: readers })).has(query.unit)) {
      throw forbidden({ vi: `Bạn không được xem sổ theo dõi hồ sơ của đơn vị ${query.unit}`, en: `You may not read the tracking book of unit ${query.unit}` });
    }
    // The book reads no further ahead than the day it is asked for: 9999-12-31 is a day it can end on.
    checkDay('from', query.from, 9999);
    checkDay('to', query.to, 9999);
    if (query.from > query.to) {
      throw new HttpError(400, 'BAD_PERIOD', { vi: 'Ngày bắt đầu sau ngày kết thúc', en: 'The first day is after the last day' }, [{ path: '/from', message: { vi: 'Sau ngày kết thúc', en: 'After the last day' } }]);
    }
    const book = await trackingBook(deps, query.unit, query.from, query.to);
    const format = query.format ?? 'pdf';
    const file = format === 'xlsx' ? await trackingBookXlsx(book) : await trackingBookPdf(book);
    res.setHeader('Content-Disposition', contentDisposition('attachment', `Sổ theo dõi hồ sơ - ${query.unit} - ${query.from} đến ${query.to}.${format}`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf').send(file);
    return undefined;
  });

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
      ({ pdf, sha256: digest } = await issuedSlip(deps, row, kind, query.seq));
    } catch (e) {
      if (!(e instanceof SlipDataError)) throw e;
      deps.logger.error({ dossier: row.id, kind, field: e.field }, 'slip data invalid');
      throw new HttpError(422, e.code, { vi: `Dữ liệu phiếu không hợp lệ (${e.field})`, en: `Slip data invalid (${e.field}): ${e.message}` });
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(pdf.length));
    res.setHeader('Content-Disposition', contentDisposition(query.disposition ?? 'inline', `${kind}-${row.id}${query.seq ? `-${query.seq}` : ''}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    // The sha256 stored when the slip was issued: the same bytes on every download.
    res.setHeader('Digest', `sha-256=${Buffer.from(digest, 'hex').toString('base64')}`);
    res.status(200).end(pdf);
  });
}
