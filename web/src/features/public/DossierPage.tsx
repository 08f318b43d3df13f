/**
 * `/public/lookup/:code`: what a citizen may see of a dossier — status in plain words,
 * current steps, dates, outcome, history — kept live over the /public socket; once the
 * result is returned, the rating form.
 */
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { usePublicTracking } from '../../app/publicLive';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Loading, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { LookupForm } from './LookupForm';
import { RatingForm } from './RatingForm';
import { eventKey, stateWords } from './words';
import type { PublicDossier } from './types';
import './public.css';

const when = (value: string | null): string => formatDateTime(value);

export function DossierPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation('public');
  usePublicTracking(code);
  const q = useQuery({
    queryKey: ['public', 'dossier', code],
    queryFn: () => unwrap(api.GET('/api/public/dossiers/{id}', { params: { path: { id: code } } })),
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
  });

  return (
    <Page title={t('dossier.title', { code })}>
      <LookupForm key={code} initial={code} />
      {q.isPending ? <Loading /> : q.error ? (
        q.error instanceof ApiError && q.error.status === 404
          ? <div className="error-box" role="alert"><strong>{t('dossier.notFound')}</strong></div>
          : <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
      ) : <DossierView d={q.data} />}
    </Page>
  );
}

function DossierView({ d }: { d: PublicDossier }) {
  const { t } = useTranslation('public');
  const state = stateWords(d);
  const open = d.status !== 'done';
  return (
    <div className="pub-dossier">
      <section className="card" aria-labelledby="pub-d-status">
        <h2 id="pub-d-status" className="sr-only">{t('dossier.status')}</h2>
        <dl className="pub-facts">
          <div><dt>{t('dossier.procedure')}</dt><dd>{d.procedure.name ? pick(d.procedure.name) : ''} <span className="muted">({d.procedure.code})</span></dd></div>
          <div>
            <dt>{t('dossier.status')}</dt>
            <dd><Badge tone={state.tone}><span data-testid="dossier-status">{t(state.key)}</span></Badge></dd>
          </div>
          {open && d.current.length > 0 && (
            <div>
              <dt>{t('dossier.current')}</dt>
              <dd>
                <ul className="pub-plain">
                  {d.current.map((c, n) => (
                    <li key={n}>{pick(c.name)} <span className="muted">{t('dossier.since', { time: when(c.since) })}</span></li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
          {d.submittedAt && <div><dt>{t('dossier.submittedAt')}</dt><dd>{when(d.submittedAt)}</dd></div>}
          {d.receivedAt && <div><dt>{t('dossier.receivedAt')}</dt><dd>{when(d.receivedAt)}</dd></div>}
          {open && d.receivedAt && (
            <div><dt>{t('dossier.dueAt')}</dt><dd data-testid="dossier-due">{d.dueAt ? when(d.dueAt) : t('dossier.duePaused')}</dd></div>
          )}
          {d.closedAt && <div><dt>{t('dossier.closedAt')}</dt><dd>{when(d.closedAt)}</dd></div>}
          <div><dt>{t('dossier.returnVia')}</dt><dd>{t(`via.${d.returnVia}`, { defaultValue: d.returnVia })}</dd></div>
        </dl>
        {open && <p className="muted pub-live">{t('dossier.live')}</p>}
      </section>
      <RatingForm dossier={d} />
      {d.timeline.length > 0 && (
        <section className="card" aria-labelledby="pub-d-history">
          <h2 id="pub-d-history">{t('dossier.history')}</h2>
          <ol className="pub-timeline">
            {d.timeline.map((e, n) => (
              <li key={n}><time dateTime={e.at}>{when(e.at)}</time> {t(eventKey(e))}</li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
