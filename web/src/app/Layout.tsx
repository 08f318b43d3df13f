/** The frame every screen sits in: navigation by role, language switch, live indicator. */
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, type Role } from './auth';
import { useLive } from './live';
import { signOutCitizen, useCitizenSession } from './citizenSession';
import { setLang, currentLang } from '../i18n';
import { Loading } from '../ui';

interface NavItem { to: string; label: string; roles?: Role[] }

const NAV: NavItem[] = [
  { to: '/dossiers', label: 'nav.inbox', roles: ['desk', 'specialist', 'leader'] },
  { to: '/dossiers/new', label: 'nav.intake', roles: ['desk'] },
  { to: '/designer', label: 'nav.designer', roles: ['designer'] },
  { to: '/admin', label: 'nav.admin', roles: ['admin'] },
  { to: '/payments', label: 'nav.payments', roles: ['admin'] },
  { to: '/dashboard', label: 'nav.dashboard', roles: ['admin', 'leader', 'desk', 'specialist'] },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  return (
    <label className="lang">
      <span className="sr-only">{t('nav.language')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'vi')} aria-label={t('nav.language')}>
        <option value="vi">Tiếng Việt</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

export function Shell({ nav, right }: { nav: React.ReactNode; right: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="shell" lang={currentLang()}>
      <a className="skip" href="#main">{t('nav.skip')}</a>
      <header className="topbar">
        <NavLink to="/" className="brand">{t('app.name')}</NavLink>
        <nav aria-label="main">{nav}</nav>
        <div className="topbar-right">{right}</div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** Screens for signed-in officers: redirects to the login page otherwise. */
export function OfficerLayout() {
  const { t } = useTranslation();
  const { user, loading, logout, hasRole } = useAuth();
  const { connected } = useLive();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const items = NAV.filter((n) => !n.roles || hasRole(n.roles));
  return (
    <Shell
      nav={items.map((n) => <NavLink key={n.to} to={n.to} end={n.to === '/dossiers'}>{t(n.label)}</NavLink>)}
      right={(
        <>
          <span className={`live-dot ${connected ? 'on' : 'off'}`} role="status" title={t(connected ? 'live.connected' : 'live.disconnected')}>
            <span className="sr-only">{t(connected ? 'live.connected' : 'live.disconnected')}</span>
          </span>
          <span className="who" data-testid="whoami">{user.name}</span>
          <LanguageSwitch />
          <button type="button" className="link" onClick={() => void logout()}>{t('nav.logout')}</button>
        </>
      )}
    />
  );
}

/** The officers' sign-in on the public site: quiet, and short on a phone so the header keeps to two lines. */
function OfficerLogin() {
  const { t } = useTranslation();
  return (
    <NavLink to="/login" className="quiet" aria-label={t('nav.officerLogin')}>
      <span className="wide-only" aria-hidden="true">{t('nav.officerLogin')}</span>
      <span className="narrow-only" aria-hidden="true">{t('nav.officerShort')}</span>
    </NavLink>
  );
}

/** Public pages: no login needed. */
export function PublicLayout() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const citizen = useCitizenSession();
  // The public site is the citizens': their own sign-in and "Hồ sơ của tôi" are the main call;
  // the officers' sign-in stays at hand, quieter.
  const right = user ? <NavLink to="/">{user.name}</NavLink>
    : citizen ? (
      <>
        <span className="who" data-testid="citizen-name" title={t('nav.citizen')}>{citizen.name}</span>
        <NavLink to="/cong-dan/ho-so">{t('nav.myDossiers')}</NavLink>
        <button type="button" className="link" onClick={() => void signOutCitizen()}>{t('nav.logout')}</button>
        <OfficerLogin />
      </>
    ) : (
      <>
        <NavLink to="/cong-dan" end>{t('nav.myDossiers')}</NavLink>
        <OfficerLogin />
      </>
    );
  return (
    <Shell
      nav={(
        <>
          <NavLink to="/public" end>{t('nav.publicCatalog')}</NavLink>
          <NavLink to="/public/lookup">{t('nav.lookup')}</NavLink>
        </>
      )}
      right={(
        <>
          <LanguageSwitch />
          {right}
        </>
      )}
    />
  );
}

/** `/`: officers go to their first screen, everyone else to the public catalog. */
export function Home() {
  const { user, loading, hasRole } = useAuth();
  if (loading) return <Loading />;
  if (!user) return <Navigate to="/public" replace />;
  if (hasRole(['desk', 'specialist', 'leader'])) return <Navigate to="/dossiers" replace />;
  if (hasRole('designer')) return <Navigate to="/designer" replace />;
  if (hasRole('admin')) return <Navigate to="/admin" replace />;
  return <Navigate to="/public" replace />;
}
