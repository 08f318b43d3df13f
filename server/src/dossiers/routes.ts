import type { Request, Response, Router } from 'express';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import {
  assign, bulk, claim, events, inbox, previewAction, receive, takeAction, verify, viewDossier, type Answer,
} from './service';
import { ActionBody, AssignBody, BulkBody, ClaimBody, IdParams, InboxQuery, IntakeBody } from './schemas';
import { BulkResultSchema, EventListSchema, InboxPageSchema, OfficerViewSchema, PreviewSchema, VerifySchema } from './projections';

const idemKey = (req: Request): string | undefined => {
  const k = req.headers['idempotency-key'];
  return typeof k === 'string' ? k : undefined;
};

/** Answers an idempotent change, saying when it is a replay of the first answer. */
function answer<T>(res: Response, out: Answer<T>): T {
  if (out.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return out.body;
}

/** Dossier lifecycle: intake, inbox, detail, actions (idempotent, optimistic), holding, history. The public lookup: ./publicRoutes.ts. */
export function dossierRoutes(api: Api, _router: Router, deps: Deps): void {
  api.add({
    method: 'post', path: '/api/dossiers', summary: 'Receive a dossier at a desk (tiếp nhận)', tags: ['dossiers'], access: ['desk'],
    body: IntakeBody, status: 201, response: OfficerViewSchema, errors: { 404: 'Unknown procedure or unit', 409: 'Conflict' },
  }, async ({ req, res, body, user }) => answer(res, await receive(deps, user, body, idemKey(req))));

  api.add({
    method: 'get', path: '/api/dossiers', summary: 'Inbox: mine, held by me, my units, due soon, overdue, waiting for the citizen, closed', tags: ['dossiers'],
    access: ['desk', 'specialist', 'leader', 'admin'], query: InboxQuery, response: InboxPageSchema,
  }, async ({ query, user }) => inbox(deps, user!, query));

  api.add({
    method: 'get', path: '/api/dossiers/:id', summary: 'A dossier with the actions you may take now', tags: ['dossiers'],
    access: 'user', params: IdParams, response: OfficerViewSchema, errors: { 404: 'No such dossier' },
  }, async ({ params, user }) => viewDossier(deps, user!, params.id));

  api.add({
    method: 'post', path: '/api/dossiers/:id/actions', summary: 'Take an action (Idempotency-Key honoured; expectedVersion checked)', tags: ['dossiers'],
    access: 'user', params: IdParams, body: ActionBody, response: OfficerViewSchema,
    errors: { 403: 'Not your role or unit', 404: 'No such dossier', 409: 'Version conflict or closed dossier' },
  }, async ({ req, res, params, body, user }) => answer(res, await takeAction(deps, user!, params.id, body, idemKey(req), req.path)));

  api.add({
    method: 'post', path: '/api/dossiers/:id/preview',
    summary: 'What an action would set in motion, nothing written: the units its hand-offs go to (a unit chosen from the data at run time included) and the appointment after it',
    tags: ['dossiers'], access: 'user', params: IdParams, body: ActionBody, response: PreviewSchema,
    errors: { 403: 'Not your role or unit', 404: 'No such dossier', 409: 'Closed dossier or version conflict', 422: 'A hand-off unit that will not do (HANDOFF_UNIT_INVALID, with the input\'s pointer), inputs or a guard' },
  }, async ({ params, body, user }) => previewAction(deps, user!, params.id, body));

  api.add({
    method: 'post', path: '/api/dossiers/bulk-actions',
    summary: 'The same kind of action on many dossiers (e.g. a leader approving a batch); each item succeeds or fails on its own (Idempotency-Key honoured)',
    tags: ['dossiers'], access: 'user', body: BulkBody, response: BulkResultSchema,
  }, async ({ req, res, body, user }) => answer(res, await bulk(deps, user!, body.items, idemKey(req))));

  api.add({
    method: 'post', path: '/api/dossiers/:id/claim', summary: 'Take an active step yourself (your role at its unit, own or delegated)', tags: ['dossiers'],
    access: 'user', params: IdParams, body: ClaimBody, response: OfficerViewSchema,
    errors: { 403: 'Not your role at the step\'s unit', 404: 'No such dossier', 409: 'Someone else holds it, or the step is no longer active', 422: 'A system step' },
  }, async ({ params, body, user }) => claim(deps, user!, params.id, body.step));

  api.add({
    method: 'post', path: '/api/dossiers/:id/assign', summary: 'Hand an active step to a named officer of its role at its unit', tags: ['dossiers'],
    access: 'user', params: IdParams, body: AssignBody, response: OfficerViewSchema,
    errors: { 403: 'Neither a leader nor of the step\'s role at its unit', 404: 'No such dossier', 409: 'The step is no longer active', 422: 'The officer does not hold the step\'s role at its unit' },
  }, async ({ params, body, user }) => assign(deps, user!, params.id, body.step, body.officerId));

  api.add({
    method: 'get', path: '/api/dossiers/:id/events', summary: 'History (append-only, hash-chained)', tags: ['dossiers'], access: 'user', params: IdParams,
    response: EventListSchema,
  }, async ({ params, user }) => events(deps, user!, params.id));

  api.add({
    method: 'get', path: '/api/dossiers/:id/verify', summary: 'Verify the hash chain of the history', tags: ['dossiers'], access: 'user', params: IdParams,
    response: VerifySchema,
  }, async ({ params, user }) => verify(deps, user!, params.id));
}
