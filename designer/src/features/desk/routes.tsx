/** Routes of the desk screens (mounted by app/router.tsx). */
import type { RouteObject } from 'react-router';
import { Page } from '../../ui';

export const routes: RouteObject[] = [
  { index: true, element: <Page title="desk">…</Page> },
];
