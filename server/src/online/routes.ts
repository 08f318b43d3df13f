import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { contentDisposition } from '../http/download';
import { createBlobStore, type BlobStore } from '../blobs';
import { citizenOf } from '../citizens/service';
import { UPLOAD_ERRORS, uploadParser } from '../dossiers';
import {
  addDraftFile, addSupplementFile, citizenAct, createDraft, getDraft, listDrafts, MAX_CITIZEN_FILES_PER_DOSSIER, MAX_DRAFT_DATA_BYTES, MAX_DRAFTS_PER_CITIZEN, myDocument, myDossierView,
  myDossier, myDossiers, mySlip, onlineInfo, rateMine, removeDraft, removeDraftFile, saveDraft, submitDraft,
} from './service';
import { CitizenDossierSchema, DraftSchema } from './views';
import { choose, chosenChannels } from '../notifications/service';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const FileParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), fileId: Type.String({ minLength: 1, maxLength: 100 }) });
const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'The form, as the procedure\'s JSON Schema (`data`) describes it' });
const Unit = Type.String({ minLength: 1, maxLength: 100, description: 'The one-stop desk (unit code) that receives the dossier' });
const KEY = { description: 'Idempotency-Key header: a retry answers the first dossier' };

const SLIP_KINDS = ['receipt', 'supplement-request', 'refusal', 'apology', 'stop-notice', 'extra-time-notice'] as const;

/** The citizen's online submission and "Hồ sơ của tôi" (all under /api/me: a citizen's session, ../citizens). */
export function onlineRoutes(api: Api, deps: Deps, blobs: BlobStore = createBlobStore(deps.config)): void {
  const upload = uploadParser(deps);
  const tags = ['citizens'];

  api.add({
    method: 'get', path: '/api/public/procedures/:id/online', tags: ['public'], access: 'public', params: Id,
    summary: 'What submitting a procedure online takes: its form (JSON Schema), papers, fees, the desks to choose from, what is still done in person',
    errors: { 404: 'No such procedure in force', 422: 'Not offered online (NOT_ONLINE)' },
  }, async ({ params }) => onlineInfo(deps, params.id));

  api.add({
    method: 'post', path: '/api/me/drafts', tags, access: 'public', status: 201, response: DraftSchema,
    body: Type.Object({ procedureId: Type.String({ minLength: 1, maxLength: 100 }), data: Type.Optional(Data), receivingUnit: Type.Optional(Unit) }, { additionalProperties: false }),
    summary: 'Starts a draft of an online submission (kept DRAFT_DAYS after its last change)',
    errors: {
      401: 'No citizen session',
      422: `Invalid input, not offered online (NOT_ONLINE), already ${MAX_DRAFTS_PER_CITIZEN} live drafts (TOO_MANY_DRAFTS), data over ${MAX_DRAFT_DATA_BYTES} bytes as JSON (DRAFT_TOO_LARGE, /data), not a desk of the procedure (NOT_A_DESK, /receivingUnit)`,
    },
  }, async ({ req, res, body }) => createDraft(deps, await citizenOf(deps, req, res), body));

  api.add({
    method: 'get', path: '/api/me/drafts', tags, access: 'public', response: Type.Array(DraftSchema),
    summary: `The citizen's drafts not yet expired (at most ${MAX_DRAFTS_PER_CITIZEN})`,
  }, async ({ req, res }) => listDrafts(deps, await citizenOf(deps, req, res)));

  api.add({
    method: 'get', path: '/api/me/drafts/:id', tags, access: 'public', params: Id, response: DraftSchema, summary: 'A draft',
    errors: { 404: 'No such draft, expired, or another citizen\'s (DRAFT_NOT_FOUND)' },
  }, async ({ req, res, params }) => getDraft(deps, await citizenOf(deps, req, res), params.id));

  api.add({
    method: 'patch', path: '/api/me/drafts/:id', tags, access: 'public', params: Id, response: DraftSchema,
    body: Type.Object({ data: Type.Optional(Data), receivingUnit: Type.Optional(Type.Union([Unit, Type.Null()])) }, { additionalProperties: false }),
    summary: 'Saves a draft (its expiry moves on)',
    errors: { 404: 'No such draft', 422: `Invalid input, data over ${MAX_DRAFT_DATA_BYTES} bytes as JSON (DRAFT_TOO_LARGE, /data), not a desk of the procedure (NOT_A_DESK, /receivingUnit)` },
  }, async ({ req, res, params, body }) => saveDraft(deps, await citizenOf(deps, req, res), params.id, body));

  api.add({
    method: 'delete', path: '/api/me/drafts/:id', tags, access: 'public', params: Id, status: 204, summary: 'Deletes a draft and its papers',
  }, async ({ req, res, params }) => { await removeDraft(deps, await citizenOf(deps, req, res), params.id, blobs); return undefined; });

  api.add({
    method: 'post', path: '/api/me/drafts/:id/files', tags, access: 'public', params: Id, status: 201,
    multipart: Type.Object({ file: Type.String({ format: 'binary' }), paper: Type.String({ description: 'The paper of the procedure (document id)' }), name: Type.Optional(Type.String()) }, { required: ['file', 'paper'] }),
    summary: `Attaches a paper to a draft: multipart "file" (${deps.config.allowedUploadTypes.join(', ')} by content, at most ${deps.config.maxUploadBytes} bytes) and "paper"`,
    errors: { ...UPLOAD_ERRORS, 404: 'No such draft, expired, or another citizen\'s (DRAFT_NOT_FOUND)', 422: 'No file, empty, unknown paper, too many files' },
  }, async ({ req, res, params }) => addDraftFile(deps, await citizenOf(deps, req, res), params.id, req, res, blobs, upload));

  api.add({
    method: 'delete', path: '/api/me/drafts/:id/files/:fileId', tags, access: 'public', params: FileParams, status: 204, summary: 'Removes a paper from a draft',
  }, async ({ req, res, params }) => { await removeDraftFile(deps, await citizenOf(deps, req, res), params.id, params.fileId, blobs); return undefined; });

  api.add({
    method: 'post', path: '/api/me/drafts/:id/submit', tags, access: 'public', params: Id, status: 201, response: CitizenDossierSchema,
    body: Type.Object({ returnVia: Type.Optional(Type.Union([Type.Literal('desk'), Type.Literal('post'), Type.Literal('online')])) }, { additionalProperties: false }),
    summary: 'Submits a draft online: a dossier on the online channel waiting for the desk\'s acceptance (portal status 1); once per Idempotency-Key (else per draft)',
    description: KEY.description,
    errors: { 404: 'No such draft', 422: 'Form, papers or desk invalid (pointers in issues; NO_DESK, NOT_A_DESK: /receivingUnit), not online', 429: 'Too many submissions (Retry-After)' },
  }, async ({ req, res, params, body }) => {
    const key = req.headers['idempotency-key'];
    const out = await submitDraft(deps, await citizenOf(deps, req, res), params.id, typeof key === 'string' ? key : undefined, res, body);
    if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(out.status).json(out.body);
  });

  api.add({
    method: 'get', path: '/api/me/dossiers', tags, access: 'public', response: Type.Array(CitizenDossierSchema),
    summary: '"Hồ sơ của tôi": the dossiers submitted online under the citizen\'s personal ID number, newest first',
  }, async ({ req, res }) => myDossiers(deps, await citizenOf(deps, req, res)));

  api.add({
    method: 'get', path: '/api/me/dossiers/:id', tags, access: 'public', params: Id, response: CitizenDossierSchema,
    summary: 'One of the citizen\'s dossiers: status, timeline in words, papers asked for, actions, slips, fees',
    errors: { 404: 'No such dossier, or not the citizen\'s' },
  }, async ({ req, res, params }) => myDossierView(deps, await citizenOf(deps, req, res), params.id));

  api.add({
    method: 'post', path: '/api/me/dossiers/:id/actions', tags, access: 'public', params: Id, response: CitizenDossierSchema,
    body: Type.Object({
      step: Type.String({ minLength: 1, maxLength: 100 }), action: Type.String({ minLength: 1, maxLength: 100 }),
      inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }, { additionalProperties: false }),
    summary: 'The applicant\'s actions: hand in a supplement (submitSupplement: the clock resumes), withdraw with a reason',
    errors: { 403: 'Not an applicant\'s action', 404: 'Not the citizen\'s dossier', 409: 'Not open now', 422: 'Inputs invalid (e.g. no reason)' },
  }, async ({ req, res, params, body }) => {
    const key = req.headers['idempotency-key'];
    return (await citizenAct(deps, await citizenOf(deps, req, res), params.id, body, typeof key === 'string' ? key : undefined)).body;
  });

  api.add({
    method: 'post', path: '/api/me/dossiers/:id/documents', tags, access: 'public', params: Id, status: 201,
    multipart: Type.Object({ file: Type.String({ format: 'binary' }), name: Type.Optional(Type.String()) }, { required: ['file'] }),
    summary: 'Uploads a paper a supplement request asks for (only while the dossier waits for the citizen)',
    errors: {
      ...UPLOAD_ERRORS, 404: 'Not the citizen\'s dossier', 409: 'Not waiting for papers (NOT_WAITING)',
      422: `No file, empty, or already ${MAX_CITIZEN_FILES_PER_DOSSIER} files of the citizen's in the dossier (TOO_MANY_FILES, /file)`,
    },
  }, async ({ req, res, params }) => addSupplementFile(deps, await citizenOf(deps, req, res), params.id, req, res, blobs, upload));

  api.add({
    method: 'get', path: '/api/me/dossiers/:id/notifications', tags, access: 'public', params: Id,
    response: Type.Object({
      channels: Type.Array(Type.String(), { description: 'The channels notifications go by: the saved choice, else the default (email when an address is known, else SMS)' }),
      saved: Type.Boolean({ description: 'Whether the citizen saved a choice (an empty one included)' }),
      reachable: Type.Array(Type.String(), { description: 'Which of them have somewhere to go (the contact given at intake)' }),
    }),
    summary: 'How the signed-in applicant is told of their dossier now: the channels saved, else the default',
    errors: { 404: 'Not the citizen\'s dossier' },
  }, async ({ req, res, params }) => chosenChannels(deps, await myDossier(deps, await citizenOf(deps, req, res), params.id)));

  api.add({
    method: 'put', path: '/api/me/dossiers/:id/notifications', tags, access: 'public', params: Id,
    body: Type.Object({
      channels: Type.Array(Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('zalo')]), { maxItems: 3, uniqueItems: true }),
    }, { additionalProperties: false }),
    response: Type.Object({ channels: Type.Array(Type.String()), reachable: Type.Array(Type.String()) }),
    summary: 'The signed-in applicant chooses how to be told of their dossier: email, SMS, Zalo (the session is the proof, no factor)',
    errors: { 404: 'Not the citizen\'s dossier', 422: 'An unknown channel' },
  }, async ({ req, res, params, body }) => choose(deps, await myDossier(deps, await citizenOf(deps, req, res), params.id), body.channels));

  api.add({
    method: 'post', path: '/api/me/dossiers/:id/rating', tags, access: 'public', params: Id,
    body: Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
    response: Type.Object({ id: Type.String(), rating: Type.Integer() }),
    summary: 'Rates the service once the result is returned (once)', errors: { 409: 'Not returned yet or already rated' },
  }, async ({ req, res, params, body }) => rateMine(deps, await citizenOf(deps, req, res), params.id, body.score, body.comment ?? null));

  api.add({
    method: 'get', path: '/api/me/dossiers/:id/slips/:kind', tags, access: 'public', produces: 'application/pdf',
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), kind: Type.Union(SLIP_KINDS.map((k) => Type.Literal(k))) }),
    summary: 'A slip issued on the citizen\'s dossier, as PDF (01 electronic receipt, 02 supplement request, 03 refusal…)',
    errors: { 404: 'Not the citizen\'s dossier', 409: 'Not issued (SLIP_NOT_ISSUED)' },
  }, async ({ req, res, params }) => {
    const { pdf, sha256 } = await mySlip(deps, await citizenOf(deps, req, res), params.id, params.kind);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition('inline', `${params.kind}-${params.id}.pdf`));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
    res.status(200).end(pdf);
  });

  api.add({
    method: 'get', path: '/api/me/dossiers/:id/documents/:fileId', tags, access: 'public', params: FileParams, produces: 'application/octet-stream',
    summary: 'A paper of the citizen\'s dossier', errors: { 404: 'Not the citizen\'s dossier or document' },
  }, async ({ req, res, params }) => {
    const { doc, data } = await myDocument(deps, await citizenOf(deps, req, res), params.id, params.fileId, blobs);
    res.setHeader('Content-Type', doc.mime);
    res.setHeader('Content-Disposition', contentDisposition('attachment', doc.name));
    res.setHeader('Cache-Control', 'private, no-store');
    res.status(200).end(data);
  });
}
