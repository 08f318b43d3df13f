/** Shapes of the public answers. */
import type { paths } from '../../api/client';
import type { Bilingual } from '../../api/client';

export type CatalogPage = paths['/api/public/procedures']['get']['responses'][200]['content']['application/json'];
export type CatalogItem = CatalogPage['items'][number];
export type ProcedureDetail = paths['/api/public/procedures/{id}']['get']['responses'][200]['content']['application/json'];
export type PublicStep = ProcedureDetail['steps'][number];
export type PublicFee = ProcedureDetail['fees'][number];
export type CatalogQuery = NonNullable<paths['/api/public/procedures']['get']['parameters']['query']>;

/**
 * What GET /api/public/dossiers/{id} answers. The server declares no response schema for
 * this route (the generated type says 204), so the shape is written here from
 * server/src/dossiers/routes.ts; ask the lead to have the route declare it.
 */
export interface PublicDossier {
  id: string;
  procedure: { code: string; name: Bilingual | null };
  status: 'active' | 'waiting-citizen' | 'done' | string;
  outcome: 'approved' | 'rejected' | 'refused' | 'withdrawn' | 'stopped' | null | string;
  submittedAt: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  closedAt: string | null;
  current: { name: Bilingual | null; since: string }[];
  timeline: { at: string; step: string | null; action: string | null }[];
  returnVia: 'desk' | 'post' | 'online' | string;
  rating: number | null;
}
