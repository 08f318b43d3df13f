/**
 * The route table: each part of the app brings its own routes under its prefix, loaded
 * on first visit (a desk officer's old computer never downloads the designer's canvas).
 */
import { Suspense, lazy, type ReactNode } from 'react';
import { Navigate, createBrowserRouter, useParams, useRoutes, useSearchParams, type RouteObject } from 'react-router';
import { Home, OfficerLayout, PublicLayout } from './Layout';
import { Login } from './Login';
import { Loading, Page } from '../ui';
import i18n from '../i18n';

const NotFound = () => <Page title={i18n.t('notFound')}>{null}</Page>;

/**
 * `/tra-cuu/<code>?k=<key>`: the address printed as a QR code on the receipt
 * (server/src/dossiers/slipData.ts); the key is the citizen's second factor, passed on.
 */
function SlipLink() {
  const { code = '' } = useParams();
  const [search] = useSearchParams();
  const key = search.get('k');
  return <Navigate to={`/public/lookup/${encodeURIComponent(code)}${key ? `?k=${encodeURIComponent(key)}` : ''}`} replace />;
}

/** A part's routes, fetched with its code the first time one of them is visited. */
function part(load: () => Promise<{ routes: RouteObject[] }>): ReactNode {
  const Part = lazy(async () => {
    const { routes } = await load();
    return { default: function PartRoutes() { return useRoutes([...routes, { path: '*', element: <NotFound /> }]); } };
  });
  return <Suspense fallback={<Loading />}><Part /></Suspense>;
}

const table: RouteObject[] = [
  { path: '/', element: <Home /> },
  { path: '/login', element: <Login /> },
  { path: '/tra-cuu/:code', element: <SlipLink /> },
  {
    element: <OfficerLayout />,
    children: [
      { path: '/dossiers/*', element: part(() => import('../features/desk/routes')) },
      { path: '/designer/*', element: part(() => import('../features/designer/routes')) },
      { path: '/admin/*', element: part(() => import('../features/admin/routes')) },
      { path: '/dashboard/*', element: part(() => import('../features/dashboard/routes')) },
      { path: '/payments/*', element: part(() => import('../features/payments/adminRoutes')) },
    ],
  },
  {
    // The part's own routes start at `/public` itself (the catalog is its index route): a
    // splat child under a `/public` parent would hand them no path to match, and the
    // catalog rendered as an empty frame.
    element: <PublicLayout />,
    children: [
      { path: '/public/*', element: part(() => import('../features/public/routes')) },
      { path: '/cong-dan/giay-to/*', element: part(() => import('../features/papers/citizenRoutes')) },
      { path: '/cong-dan/*', element: part(() => import('../features/citizen/routes')) },
      { path: '/xac-thuc/*', element: part(() => import('../features/esign/routes')) },
      { path: '/thanh-toan/*', element: part(() => import('../features/payments/routes')) },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const router = createBrowserRouter(table);
