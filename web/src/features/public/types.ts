/** Shapes of the public answers. */
import type { paths } from '../../api/client';

export type CatalogPage = paths['/api/public/procedures']['get']['responses'][200]['content']['application/json'];
export type CatalogItem = CatalogPage['items'][number];
export type ProcedureDetail = paths['/api/public/procedures/{id}']['get']['responses'][200]['content']['application/json'];
export type PublicStep = ProcedureDetail['steps'][number];
export type PublicFee = ProcedureDetail['fees'][number];
export type CatalogQuery = NonNullable<paths['/api/public/procedures']['get']['parameters']['query']>;

/** What a code alone shows: exists, status. */
export type PublicStatus = paths['/api/public/dossiers/{id}']['get']['responses'][200]['content']['application/json'];
/** What the code with a second factor shows. */
export type PublicDossier = paths['/api/public/dossiers/{id}/lookup']['post']['responses'][200]['content']['application/json'];
/** The second factor: the key of the receipt's QR code, or the last 4 digits of the applicant's phone or ID number. */
export type LookupFactor = { key: string } | { last4: string };
