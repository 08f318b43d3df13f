/**
 * Shapes of the dossier answers, from the server's OpenAPI document (schema.d.ts, generated
 * from server/src/dossiers/projections.ts). Only the actions keep the engine's own type:
 * the answer's schema leaves their input forms and effects open.
 */
import type { AvailableAction } from '@motcua/engine';
import type { paths } from '../../api/client';

type Ok<T> = T extends { responses: { 200: { content: { 'application/json': infer J } } } } ? J
  : T extends { responses: { 201: { content: { 'application/json': infer J } } } } ? J : never;

export type InboxPage = Ok<paths['/api/dossiers']['get']>;
export type InboxItem = InboxPage['items'][number];
export type Box = NonNullable<NonNullable<paths['/api/dossiers']['get']['parameters']['query']>['box']>;
export type Progress = NonNullable<InboxItem['progress']>;
export type Channel = InboxItem['channel'];

type OfficerView = Ok<paths['/api/dossiers/{id}']['get']>;
export type DossierView = Omit<OfficerView, 'actions'> & { actions: AvailableAction[] };
export type ActiveStepView = DossierView['active'][number];
/** The person holding a step, or null. */
export type Holder = ActiveStepView['holder'];

export type DossierEventView = Ok<paths['/api/dossiers/{id}/events']['get']>[number];
export type VerifyResult = Ok<paths['/api/dossiers/{id}/verify']['get']>;
export type BulkResult = Ok<paths['/api/dossiers/bulk-actions']['post']>;

export type { AvailableAction };
