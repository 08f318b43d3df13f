import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth';
import { ErrorBox, Field } from '../ui';
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
        <Field label={t('login.username')}>
          {(id) => <input id={id} name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />}
        </Field>
        <Field label={t('login.password')}>
          {(id) => <input id={id} name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />}
        </Field>
        <ErrorBox error={error} />
        <button type="submit" className="primary" disabled={busy}>{t('login.submit')}</button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
