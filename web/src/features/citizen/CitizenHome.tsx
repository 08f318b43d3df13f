/** The citizen's start page: sign in through the identity provider, then "Hồ sơ của tôi". */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Loading, Page } from '../../ui';
import { call, signInHref, type Citizen, type CitizenDossier } from './api';
import './citizen.css';

export function useCitizen(): { me: Citizen | null | undefined; error: unknown } {
  const [me, setMe] = useState<Citizen | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call<Citizen>('/api/me').then(setMe, (e: unknown) => (e instanceof ApiError && e.status === 401 ? setMe(null) : setError(e)));
  }, []);
  return { me, error };
}

export function SignIn({ next }: { next: string }) {
  const { t } = useTranslation('citizen');
  return (
    <section className="card">
      <p>{t('intro')}</p>
      <p><a className="button primary" href={signInHref(next)}>{t('signIn')}</a></p>
    </section>
  );
}

export function CitizenHome() {
  const { t } = useTranslation('citizen');
  const { me, error } = useCitizen();
  const [list, setList] = useState<CitizenDossier[] | null>(null);
  useEffect(() => {
    if (me) void call<CitizenDossier[]>('/api/me/dossiers').then(setList);
  }, [me]);
  if (error) return <Page title={t('home')}><ErrorBox error={error} /></Page>;
  if (me === undefined) return <Loading />;
  if (me === null) return <Page title={t('home')}><SignIn next="/cong-dan/ho-so" /></Page>;
  // Signing out is in the public header (app/Layout.tsx), with the citizen's name.
  return (
    <Page title={t('mine')}>
      <p>{t('hello', { name: me.name })} · <Link to="/cong-dan/giay-to">{t('papers:mine.title')}</Link> · <Link to="/public">{t('catalog')}</Link></p>
      {list === null ? <Loading /> : list.length === 0 ? <p>{t('noDossiers')}</p> : (
        <ul className="citizen-list">
          {list.map((d) => (
            <li key={d.id} className="card">
              <Link to={`/cong-dan/ho-so/${encodeURIComponent(d.id)}`}><strong>{d.id}</strong></Link>
              {' '}— {pick(d.procedure.name)} <Badge tone={d.portalStatus === 3 ? 'warn' : d.portalStatus === 4 ? 'ok' : 'info'}>{pick(d.statusText)}</Badge>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
