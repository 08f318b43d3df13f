/** Officer screens of payments and notifications (mounted by app/router.tsx under /payments; administrators). */
import { NavLink, Outlet, type RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ReconciliationScreen } from './ReconciliationScreen';
import { TemplatesScreen } from './TemplatesScreen';

function Frame() {
  const { t } = useTranslation('payments');
  return (
    <>
      <nav className="tabs" aria-label={t('reconcile.title')}>
        <NavLink to="/payments" end>{t('reconcile.title')}</NavLink>
        <NavLink to="/payments/notifications">{t('templates.title')}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}

export const routes: RouteObject[] = [
  { element: <Frame />, children: [{ index: true, element: <ReconciliationScreen /> }, { path: 'notifications', element: <TemplatesScreen /> }] },
];
