/** Routes of the dashboard screens (mounted by app/router.tsx under /dashboard). */
import type { RouteObject } from 'react-router';
import { DashboardPage } from './DashboardPage';

export const routes: RouteObject[] = [
  { index: true, element: <DashboardPage /> },
];
