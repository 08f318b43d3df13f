import Type from 'typebox';
import type { Request, Response } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { HttpError } from '../http/errors';
import { createBlobStore, type BlobStore } from '../blobs';
import { contentDisposition } from '../http/download';
import { citizenPaper, citizenStore, digitise, lookup, officerStore, recordResult } from './service';
import { DigitiseBody, DocParams, LookupBody, LookupSchema, PersonParams, ResultBody, StoreEntrySchema } from './schemas';

const MyPaperParams = Type.Object({ docId: Type.String({ minLength: 1, maxLength: 100 }) });

/** A typed document answer (the documents list's shape). */
const TypedDocument = Type.Object({
  id: Type.String(), dossierId: Type.String(), name: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String(),
  uploadedBy: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }), createdAt: Type.String(), url: Type.String(),
  kind: Type.Union([Type.Literal('digitised'), Type.Literal('result')]), paperId: Type.Union([Type.String(), Type.Null()]),
  holderId: Type.Union([Type.String(), Type.Null()]), meta: Type.Record(Type.String(), Type.Unknown()),
  digitisedAt: Type.Union([Type.String(), Type.Null()]), reusedFrom: Type.Union([Type.String(), Type.Null()]),
});

/**
 * Where the citizen's signed-in session plugs in (the citizen sign-in work): the personal ID
 * of the citizen making the request, or null when none is signed in.
 */
export interface CitizenSession {
  personalIdOf(req: Request, res: Response): Promise<string | null>;
}

/** Typed documents, the citizen's data store and shared-data lookups (docs/papers.md). */
export function paperRoutes(api: Api, deps: Deps): void {
  api.add({
    method: 'post', path: '/api/dossiers/:id/documents/:docId/digitise', tags: ['documents'], access: ['desk', 'specialist'],
    summary: 'Mark a submitted document as the digitised copy (bản sao điện tử) of a checklist paper, with its metadata; kept in the holder\'s data store',
    params: DocParams, body: DigitiseBody, response: TypedDocument,
    errors: { 403: 'Not a desk officer or specialist of the dossier\'s units', 404: 'No such dossier or document', 409: 'Closed dossier, or the document is typed already', 422: 'Wrong metadata (JSON pointer)' },
  }, async ({ params, body, user }) => digitise(deps, user!, params.id, params.docId, body));

  api.add({
    method: 'post', path: '/api/dossiers/:id/documents/:docId/result', tags: ['documents'], access: ['specialist', 'leader'],
    summary: 'Mark a document as the dossier\'s result (number, date, signer, validity); kept in the applicant\'s data store',
    params: DocParams, body: ResultBody, response: TypedDocument,
    errors: { 403: 'Not a specialist or leader of the dossier\'s units', 404: 'No such dossier or document', 409: 'Closed dossier, or the document is typed already', 422: 'Wrong metadata (JSON pointer)' },
  }, async ({ params, body, user }) => recordResult(deps, user!, params.id, params.docId, body));

  api.add({
    method: 'get', path: '/api/citizens/:personalId/papers', tags: ['documents'], access: ['desk', 'specialist', 'leader', 'admin'],
    summary: 'A citizen\'s data store: their digitised papers and results from the dossiers you may see (unit and delegation rules of dossiers)',
    params: PersonParams, response: Type.Array(StoreEntrySchema),
    errors: { 422: 'Not a 12-digit personal ID' },
  }, async ({ params, user }) => officerStore(deps, user!, params.personalId));

  api.add({
    method: 'post', path: '/api/shared-data/lookups', tags: ['shared-data'], access: ['desk'], status: 201,
    summary: 'Look a citizen up in the national population database or the civil-status database, with their consent (recorded); an intake then uses it (`sharedData`)',
    body: LookupBody, response: LookupSchema,
    errors: {
      403: 'Not a desk officer of the unit', 404: 'Unknown person or procedure', 422: 'Consent missing (CONSENT_REQUIRED) or bad input',
      502: 'The database answered outside its contract or refused', 503: 'The database is unavailable or not configured',
    },
  }, async ({ body, user }) => lookup(deps, user!, body));
}

/** The citizen's own data store, behind their signed-in session (app.ts builds it on the citizens feature). */
export function citizenPaperRoutes(api: Api, deps: Deps, session: CitizenSession, blobs: BlobStore = createBlobStore(deps.config)): void {
  const signedIn = async (req: Request, res: Response): Promise<string> => {
    const personalId = await session.personalIdOf(req, res);
    if (!personalId) throw new HttpError(401, 'CITIZEN_SIGN_IN_REQUIRED', { vi: 'Cần đăng nhập bằng tài khoản công dân', en: 'Sign in as a citizen' });
    return personalId;
  };
  api.add({
    method: 'get', path: '/api/me/papers', tags: ['documents'], access: 'public', response: Type.Array(StoreEntrySchema),
    summary: 'My data store (signed-in citizen): my digitised papers and results, whichever unit holds them', errors: { 401: 'No citizen signed in' },
  }, async ({ req, res }) => citizenStore(deps, await signedIn(req, res)));

  api.add({
    method: 'get', path: '/api/me/papers/:docId', tags: ['documents'], access: 'public', params: MyPaperParams, produces: 'application/octet-stream',
    summary: 'One paper of my data store (signed-in citizen), as a file', errors: { 401: 'No citizen signed in', 404: 'Not a paper of my store' },
  }, async ({ req, res, params }) => {
    const { doc, data } = await citizenPaper(deps, await signedIn(req, res), params.docId, blobs);
    res.setHeader('Content-Type', doc.mime);
    res.setHeader('Content-Disposition', contentDisposition('attachment', doc.name));
    res.setHeader('Cache-Control', 'private, no-store');
    res.status(200).end(data);
  });
}
