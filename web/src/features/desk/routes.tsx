/** Routes of the desk screens (mounted by app/router.tsx under /dossiers). */
import type { RouteObject } from 'react-router';
import { useParams } from 'react-router';
import { Inbox } from './Inbox';
import { Intake } from './Intake';
import { DossierPage } from './DossierPage';

// A fresh page per dossier: notices and open dialogs never leak from one dossier to the next.
function DossierRoute() {
  const { id = '' } = useParams();
  return <DossierPage key={id} />;
}

export const routes: RouteObject[] = [
  { index: true, element: <Inbox /> },
  { path: 'new', element: <Intake /> },
  { path: ':id', element: <DossierRoute /> },
];
