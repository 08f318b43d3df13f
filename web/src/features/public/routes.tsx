/** Routes of the public screens (mounted by app/router.tsx under /public, no login). */
import type { RouteObject } from 'react-router';
import { CatalogPage } from './CatalogPage';
import { ProcedurePage } from './ProcedurePage';
import { LookupPage } from './LookupPage';
import { DossierPage } from './DossierPage';

export const routes: RouteObject[] = [
  { index: true, element: <CatalogPage /> },
  { path: 'procedures/:id', element: <ProcedurePage /> },
  { path: 'lookup', element: <LookupPage /> },
  { path: 'lookup/:code', element: <DossierPage /> },
];
