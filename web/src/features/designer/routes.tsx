/** Routes of the designer screens (mounted under /designer by app/router.tsx). */
import type { RouteObject } from 'react-router';
import { EditorScreen } from './screens/Editor';
import { ProcedureList } from './screens/ProcedureList';

export const routes: RouteObject[] = [
  { index: true, element: <ProcedureList /> },
  { path: ':procedureId/:version', element: <EditorScreen /> },
];
