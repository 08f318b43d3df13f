/** Shapes of the public answers. */
import type { paths } from '../../api/client';

export type CatalogPage = paths['/api/public/procedures']['get']['responses'][200]['content']['application/json'];
export type CatalogItem = CatalogPage['items'][number];
export type ProcedureDetail = paths['/api/public/procedures/{id}']['get']['responses'][200]['content']['application/json'];
export type PublicStep = ProcedureDetail['steps'][number];
export type PublicFee = ProcedureDetail['fees'][number];
export type CatalogQuery = NonNullable<paths['/api/public/procedures']['get']['parameters']['query']>;

export type PublicDossier = paths['/api/public/dossiers/{id}']['get']['responses'][200]['content']['application/json'];
