/** Routes of the citizen's screens (mounted by app/router.tsx under /cong-dan): sign-in, online submission, "Hồ sơ của tôi". */
import type { RouteObject } from 'react-router';
import { CitizenHome } from './CitizenHome';
import { SubmitPage } from './SubmitPage';
import { MyDossierPage } from './MyDossierPage';

export const routes: RouteObject[] = [
  { index: true, element: <CitizenHome /> },
  { path: 'ho-so', element: <CitizenHome /> },
  { path: 'ho-so/:id', element: <MyDossierPage /> },
  { path: 'nop/:id', element: <SubmitPage /> },
];
