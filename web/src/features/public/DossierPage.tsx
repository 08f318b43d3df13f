/**
 * `/public/lookup/:code[?k=<key>]`: what a citizen may see of a dossier. The code alone shows
 * its status; the rest — procedure, current steps, dates, history, the rating form — needs a
 * second factor: the key of the receipt's QR code (`k`, carried by the QR address) or the
 * last 4 digits of the applicant's phone or ID number, typed here (docs/public-lookup.md).
 * Kept live over the /public socket.
 */
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { usePublicTracking } from '../../app/publicLive';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { LookupForm } from './LookupForm';
import { RatingForm } from './RatingForm';
import { ResultsCard } from '../esign/ResultsCard';
import { eventKey, stateWords } from './words';
import type { LookupFactor, PublicDossier, PublicStatus } from './types';
import './public.css';

const when = (value: string | null): string => formatDateTime(value);
const noRetryOn4xx = (n: number, err: unknown) => !(err instanceof ApiError && err.status < 500) && n < 2;

export function DossierPage() {
  const { code = '' } = useParams();
  const [search] = useSearchParams();
  const { t } = useTranslation('public');
  const qrKey = search.get('k');
  const [typed, setTyped] = useState<LookupFactor | null>(null);
  const factor: LookupFactor | null = typed ?? (qrKey ? { key: qrKey } : null);
  usePublicTracking(code, factor);
  const status = useQuery({
    queryKey: ['public', 'dossier', code, 'status'],
    queryFn: () => unwrap(api.GET('/api/public/dossiers/{id}', { params: { path: { id: code } } })),
    retry: noRetryOn4xx,
  });
  const full = useQuery({
    queryKey: ['public', 'dossier', code, 'full', factor],
    queryFn: () => unwrap(api.POST('/api/public/dossiers/{id}/lookup', { params: { path: { id: code } }, body: factor! })),
    enabled: factor !== null && status.isSuccess,
    retry: noRetryOn4xx,
  });

  return (
    <Page title={t('dossier.title', { code })}>
      <LookupForm key={code} initial={code} />
      {status.isPending ? <Loading /> : status.error ? (
        status.error instanceof ApiError && status.error.status === 404
          ? <div className="error-box" role="alert"><strong>{t('dossier.notFound')}</strong></div>
          : <ErrorBox error={status.error} onRetry={() => void status.refetch()} />
      ) : full.data ? <DossierView d={full.data} factor={factor!} /> : (
        <>
          {status.data && <StatusView d={status.data} />}
          {full.isFetching ? <Loading /> : (
            <FactorForm
              mismatch={full.error instanceof ApiError && full.error.status === 403}
              error={full.error instanceof ApiError && full.error.status === 403 ? null : full.error}
              onSubmit={(last4) => setTyped({ last4 })}
            />
          )}
        </>
      )}
    </Page>
  );
}

/** The code alone: that the dossier exists, and its status. */
function StatusView({ d }: { d: PublicStatus }) {
  const { t } = useTranslation('public');
  const state = stateWords({ status: d.status, outcome: null, receivedAt: d.status === 'done' ? null : 'received' });
  return (
    <section className="card" aria-labelledby="pub-d-status">
      <h2 id="pub-d-status" className="sr-only">{t('dossier.status')}</h2>
      <dl className="pub-facts">
        <div>
          <dt>{t('dossier.status')}</dt>
          <dd><Badge tone={state.tone}><span data-testid="dossier-status">{t(state.key)}</span></Badge></dd>
        </div>
      </dl>
    </section>
  );
}

/** The last 4 digits of the applicant's phone or ID number, to see the rest. */
function FactorForm({ mismatch, error, onSubmit }: { mismatch: boolean; error: unknown; onSubmit: (last4: string) => void }) {
  const { t } = useTranslation('public');
  const [last4, setLast4] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      className="card pub-factor"
      aria-labelledby="pub-factor-title"
      onSubmit={(e) => {
        e.preventDefault();
        const ok = /^[0-9]{4}$/.test(last4.trim());
        setInvalid(!ok);
        if (ok) onSubmit(last4.trim());
      }}
    >
      <h2 id="pub-factor-title">{t('factor.title')}</h2>
      <p className="muted">{t('factor.intro')}</p>
      <Field label={t('factor.last4')} hint={t('factor.hint')} error={invalid ? t('factor.invalid') : mismatch ? t('factor.mismatch') : undefined}>
        {(id) => (
          <input id={id} value={last4} onChange={(e) => setLast4(e.target.value)} inputMode="numeric" autoComplete="off" maxLength={4} size={6} pattern="[0-9]{4}" />
        )}
      </Field>
      <ErrorBox error={error} />
      <button type="submit" className="primary">{t('factor.submit')}</button>
    </form>
  );
}

function DossierView({ d, factor }: { d: PublicDossier; factor: LookupFactor }) {
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
        {'key' in factor && factor.key && (
          <p><Link to={`/thanh-toan/${encodeURIComponent(d.id)}?k=${encodeURIComponent(factor.key)}`}>{t('payments:pay.link')}</Link></p>
        )}
      </section>
      <ResultsCard code={d.id} factor={factor} />
      <RatingForm dossier={d} factor={factor} />
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
