/** Public payment pages (mounted by app/router.tsx under /thanh-toan, no login). */
import type { RouteObject } from 'react-router';
import { PayPage } from './PayPage';
import { ReturnPage } from './ReturnPage';

export const routes: RouteObject[] = [
  { path: 'ket-qua', element: <ReturnPage /> },
  { path: ':code', element: <PayPage /> },
];
