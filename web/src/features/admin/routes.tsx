/** Routes of the admin screens (mounted by app/router.tsx under /admin): a home with sub-navigation, one screen per area. */
import { NavLink, Outlet, type RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CatalogScreen } from './CatalogScreen';
import { UnitsScreen } from './UnitsScreen';
import { UsersScreen } from './UsersScreen';
import { DelegationsScreen } from './DelegationsScreen';
import { CalendarsScreen } from './CalendarsScreen';
import { WebhooksScreen } from './WebhooksScreen';
import { StatisticsScreen } from './StatisticsScreen';
import { PortalScreen } from './PortalScreen';
import './admin.css';

const AREAS = ['catalog', 'units', 'users', 'delegations', 'calendars', 'webhooks', 'portal', 'statistics'] as const;

function AdminFrame() {
  const { t } = useTranslation('admin');
  return (
    <>
      <nav className="tabs admin-tabs" aria-label={t('nav.label')}>
        <NavLink to="/admin" end>{t('nav.home')}</NavLink>
        {AREAS.map((a) => <NavLink key={a} to={`/admin/${a}`}>{t(`nav.${a}`)}</NavLink>)}
      </nav>
      <Outlet />
    </>
  );
}

function AdminHome() {
  const { t } = useTranslation('admin');
  return (
    <section className="page">
      <header className="page-head"><h1>{t('title')}</h1></header>
      <div className="admin-home">
        {AREAS.map((a) => (
          <article key={a} className="card">
            <h2>{t(`nav.${a}`)}</h2>
            <p className="muted">{t(`home.${a}`)}</p>
            <NavLink className="button" to={`/admin/${a}`}>{t('home.open', { area: t(`nav.${a}`) })}</NavLink>
          </article>
        ))}
      </div>
    </section>
  );
}

export const routes: RouteObject[] = [
  {
    element: <AdminFrame />,
    children: [
      { index: true, element: <AdminHome /> },
      { path: 'catalog', element: <CatalogScreen /> },
      { path: 'units', element: <UnitsScreen /> },
      { path: 'users', element: <UsersScreen /> },
      { path: 'delegations', element: <DelegationsScreen /> },
      { path: 'calendars', element: <CalendarsScreen /> },
      { path: 'webhooks', element: <WebhooksScreen /> },
      { path: 'portal', element: <PortalScreen /> },
      { path: 'statistics', element: <StatisticsScreen /> },
    ],
  },
];
