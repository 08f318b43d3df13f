/** The route table: each part of the app brings its own routes under its prefix. */
import { Navigate, createBrowserRouter, useParams, type RouteObject } from 'react-router';
import { Home, OfficerLayout, PublicLayout } from './Layout';
import { Login } from './Login';
import { Page } from '../ui';
import { routes as designer } from '../features/designer/routes';
import { routes as desk } from '../features/desk/routes';
import { routes as admin } from '../features/admin/routes';
import { routes as dashboard } from '../features/dashboard/routes';
import { routes as publicPages } from '../features/public/routes';
import i18n from '../i18n';

const NotFound = () => <Page title={i18n.t('notFound')}>{null}</Page>;

/** `/tra-cuu/<code>`: the address printed as a QR code on every slip (server/src/dossiers/slipData.ts). */
function SlipLink() {
  const { code = '' } = useParams();
  return <Navigate to={`/public/lookup/${encodeURIComponent(code)}`} replace />;
}

const table: RouteObject[] = [
  { path: '/', element: <Home /> },
  { path: '/login', element: <Login /> },
  { path: '/tra-cuu/:code', element: <SlipLink /> },
  {
    element: <OfficerLayout />,
    children: [
      { path: '/dossiers', children: desk },
      { path: '/designer', children: designer },
      { path: '/admin', children: admin },
      { path: '/dashboard', children: dashboard },
    ],
  },
  { path: '/public', element: <PublicLayout />, children: publicPages },
  { path: '*', element: <PublicLayout />, children: [{ path: '*', element: <NotFound /> }] },
];

export const router = createBrowserRouter(table);
