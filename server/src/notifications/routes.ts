/** Notification routes: templates and the delivery log for administrators; the citizen's choice of channels. */
import Type from 'typebox';
import { FactorProps, IdParams } from './schemas';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { addressOf, hasFactor, lookUp } from '../dossiers/service';
import { choose, deliveries, listTemplates, resetTemplate, setTemplate } from './service';
import { EVENTS } from './templates';

const Text = Type.Object({ vi: Type.String(), en: Type.Optional(Type.String()) });
const TemplateItem = Type.Object({
  event: Type.String(), name: Text, subject: Type.String(), body: Type.String(), custom: Type.Boolean(),
  updatedAt: Type.Union([Type.String(), Type.Null()]), updatedBy: Type.Union([Type.String(), Type.Null()]),
});
const EventParams = Type.Object({ event: Type.String({ minLength: 1, maxLength: 50, description: `One of ${EVENTS.join(', ')}` }) });
const TemplateBody = Type.Object({
  subject: Type.String({ maxLength: 1000, description: 'Subject (email); placeholders {{ma_ho_so}}, {{trang_thai}}, {{ngay_hen}}, {{so_tien}}, {{lien_ket}}, {{bien_lai}}' }),
  body: Type.String({ maxLength: 5000, description: 'Text of the message, same placeholders' }),
}, { additionalProperties: false });
const Delivery = Type.Object({
  id: Type.Integer(), dossierId: Type.String(), event: Type.String(), channel: Type.String(), recipient: Type.String(), subject: Type.String(),
  body: Type.String(), status: Type.String(), attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), sentAt: Type.Union([Type.String(), Type.Null()]),
});
const LogQuery = Type.Object({
  dossier: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')])),
}, { additionalProperties: false });
const ChannelBody = Type.Object({
  channels: Type.Array(Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('zalo')]), { maxItems: 3, uniqueItems: true }),
  ...FactorProps,
}, { additionalProperties: false });

export function notificationRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'get', path: '/api/notifications/templates', summary: 'The citizen notification templates (defaults or edited) and their placeholders', tags: ['notifications'],
    access: ['admin'], response: Type.Object({ placeholders: Type.Array(Type.Object({ key: Type.String(), label: Text })), items: Type.Array(TemplateItem) }),
  }, async () => listTemplates(deps));

  api.add({
    method: 'put', path: '/api/notifications/templates/:event', summary: 'Edit a notification template (placeholders checked)', tags: ['notifications'],
    access: ['admin'], params: EventParams, body: TemplateBody, response: TemplateItem,
    errors: { 403: 'Not a province administrator', 404: 'No such notification', 422: 'Unknown placeholder, stray braces, empty or too long (JSON pointer /subject or /body)' },
  }, async ({ user, params, body }) => setTemplate(deps, user!, params.event, body));

  api.add({
    method: 'delete', path: '/api/notifications/templates/:event', summary: 'Back to the default text', tags: ['notifications'],
    access: ['admin'], params: EventParams, response: TemplateItem, errors: { 403: 'Not a province administrator', 404: 'No such notification' },
  }, async ({ user, params }) => {
    const item = await resetTemplate(deps, user!, params.event);
    if (!item) throw new HttpError(404, 'NOT_FOUND', { vi: `Không có loại thông báo "${params.event}"`, en: `No notification "${params.event}"` });
    return item;
  });

  api.add({
    method: 'get', path: '/api/notifications/deliveries', summary: 'The delivery log of citizen notifications of your units\' dossiers (newest first, 200 at most)', tags: ['notifications'],
    access: ['admin'], query: LogQuery, response: Type.Object({ items: Type.Array(Delivery) }),
  }, async ({ user, query }) => deliveries(deps, user!, { dossierId: query.dossier, status: query.status }));

  api.add({
    method: 'put', path: '/api/public/dossiers/:id/notifications',
    summary: 'The citizen chooses how to be told of a dossier: email, SMS, Zalo (with the key of the receipt\'s QR code; signed in: PUT /api/me/dossiers/:id/notifications)', tags: ['notifications'],
    access: 'public', params: IdParams, body: ChannelBody,
    response: Type.Object({ channels: Type.Array(Type.String()), reachable: Type.Array(Type.String()) }),
    errors: {
      403: 'Only last4 or applicantId given: changing the channels needs the receipt\'s key (KEY_REQUIRED, /key)',
      404: 'No such dossier, or the key does not match', 422: 'No factor given, or an unknown channel',
    },
  }, async ({ req, res, params, body }) => {
    if (!hasFactor(body)) {
      const message = { vi: 'Bắt buộc mã khóa (key) trên mã QR của giấy tiếp nhận', en: 'The key of the receipt\'s QR code (key) is required' };
      throw new HttpError(422, 'FACTOR_REQUIRED', message, [{ path: '/key', message }]);
    }
    // The last 4 digits (or the ID number, often known to others) are enough to *read* a few
    // public fields, not to change the applicant's settings: with them anyone could switch the
    // citizen's email/SMS off and keep them from hearing of a supplement request or a refusal.
    // Only the slip's holder (its 122-bit key) or the signed-in owner (/api/me) may change them.
    if (!body.key) {
      const message = {
        vi: 'Muốn đổi cách nhận thông báo, hãy nhập mã khóa (key) trên mã QR của giấy tiếp nhận hồ sơ, hoặc đăng nhập vào "Hồ sơ của tôi"; 4 số cuối chỉ dùng để tra cứu',
        en: 'To change how you are told, give the key of the receipt\'s QR code, or sign in to "My dossiers"; the last 4 digits only let you look the dossier up',
      };
      throw new HttpError(403, 'KEY_REQUIRED', message, [{ path: '/key', message }]);
    }
    // The key only: digits sent beside a wrong key must not pass for it.
    const { row, verified } = await lookUp(deps, res, addressOf(req), params.id, { key: body.key });
    if (!row || !verified) {
      throw new HttpError(404, 'NOT_FOUND', { vi: `Không tìm thấy hồ sơ "${params.id}" với thông tin xác minh đã nhập`, en: `No dossier "${params.id}" with the verification details given` });
    }
    return choose(deps, row, body.channels);
  });
}
