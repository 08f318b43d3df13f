/** Routes of the public verification page (mounted by app/router.tsx under /xac-thuc, no login). */
import type { RouteObject } from 'react-router';
import { VerifyPage } from './VerifyPage';

export const routes: RouteObject[] = [
  { index: true, element: <VerifyPage /> },
  { path: ':id', element: <VerifyPage /> },
];
