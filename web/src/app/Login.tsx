import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { ErrorBox, Field } from '../ui';
import { api, unwrap } from '../api/client';
import { LanguageSwitch } from './Layout';

export function Login() {
  const { t } = useTranslation();
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Only a path of this app: `next=//other.site` must not send a freshly signed-in officer away.
  const asked = params.get('next') ?? '/';
  const next = asked.startsWith('/') && !asked.startsWith('//') && !asked.startsWith('/\\') ? asked : '/';
  // Which sign-ins the server offers: single sign-on through the identity provider (officers
  // linked by a verified personal ID number) and, unless the province turned them off, passwords.
  const status = useQuery({ queryKey: ['oidc', 'status'], queryFn: () => unwrap(api.GET('/api/oidc/status')), staleTime: 60_000, retry: false });
  const sso = status.data?.sso === true;
  const passwords = status.data?.officerPasswords !== false;
  if (user) return <Navigate to={next} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      void navigate(next, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="login-title">
        <h1 id="login-title">{t('app.name')} · {t('login.title')}</h1>
        {params.get('sso') === 'unlinked' && <p className="notice warn" role="alert">{t('login.ssoUnlinked')}</p>}
        {sso && (
          <a className="button primary sso" href={`/api/oidc/login?as=officer&next=${encodeURIComponent(next)}`}>{t('login.sso')}</a>
        )}
        {sso && passwords && <p className="muted small login-or">{t('login.or')}</p>}
        {passwords ? (
          <>
            <Field label={t('login.username')}>
              {(id) => <input id={id} name="username" autoComplete="username" autoFocus={!sso} value={username} onChange={(e) => setUsername(e.target.value)} required />}
            </Field>
            <Field label={t('login.password')}>
              {(id) => <input id={id} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />}
            </Field>
            <ErrorBox error={error} />
            <button type="submit" className={sso ? '' : 'primary'} disabled={busy}>{t('login.submit')}</button>
          </>
        ) : <p className="muted small">{t('login.passwordsOff')}</p>}
        <LanguageSwitch />
      </form>
    </main>
  );
}
