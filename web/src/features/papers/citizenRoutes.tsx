/** Routes of the citizen's own store (mounted by app/router.tsx under /cong-dan/giay-to). */
import type { RouteObject } from 'react-router';
import { MyPapersPage } from './MyPapersPage';

export const routes: RouteObject[] = [{ index: true, element: <MyPapersPage /> }];
