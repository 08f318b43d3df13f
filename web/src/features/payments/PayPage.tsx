/**
 * `/thanh-toan/:code[?k=<key>]`: a citizen pays a dossier's fees online. The receipt's QR key
 * (or the last 4 digits) authorises, as for tracking; the fees are those the engine asked
 * for; "Pay" creates a payment request and goes to the gateway's page. With the QR key the
 * citizen may also choose how to be told of the dossier (the 4 digits are not enough for that).
 */
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { Badge, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatDateTime, formatMoney } from '../../ui/format';

type Factor = { key: string } | { last4: string };
const noRetryOn4xx = (n: number, err: unknown) => !(err instanceof ApiError && err.status < 500) && n < 2;
export const TONE = { pending: 'warn', paid: 'ok', failed: 'bad', cancelled: 'neutral', refunded: 'info' } as const;

export function PayPage() {
  const { code = '' } = useParams();
  const [search] = useSearchParams();
  const { t } = useTranslation('payments');
  const qrKey = search.get('k');
  const [typed, setTyped] = useState<Factor | null>(null);
  const factor: Factor | null = typed ?? (qrKey ? { key: qrKey } : null);
  const fees = useQuery({
    queryKey: ['payments', 'fees', code, factor],
    queryFn: () => unwrap(api.POST('/api/public/dossiers/{id}/fees', { params: { path: { id: code } }, body: factor! })),
    enabled: factor !== null, retry: noRetryOn4xx,
  });
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/public/dossiers/{id}/payments', { params: { path: { id: code } }, body: factor! })),
    onSuccess: (r) => { window.location.assign(r.payUrl); },
  });
  const notFound = fees.error instanceof ApiError && fees.error.status === 404;
  const due = fees.data;
  return (
    <Page title={t('pay.title', { code })}>
      <p className="muted">{t('pay.intro')}</p>
      {!factor || notFound ? <FactorForm notFound={notFound} onSubmit={(last4) => setTyped({ last4 })} /> : fees.isPending ? <Loading /> : fees.error || !due ? (
        <ErrorBox error={fees.error} onRetry={() => void fees.refetch()} />
      ) : (
        <>
          <section className="card" aria-labelledby="pay-fees">
            <h2 id="pay-fees">{t('pay.fees')}</h2>
            {due.fees.length === 0 ? <p data-testid="pay-nothing">{t('pay.nothing')}</p> : (
              <table className="table">
                <thead><tr><th>{t('pay.fee')}</th><th className="num">{t('pay.amount')}</th></tr></thead>
                <tbody>
                  {due.fees.map((f) => <tr key={f.id}><td>{f.name}</td><td className="num">{formatMoney(f.amount)}</td></tr>)}
                </tbody>
                <tfoot><tr><th>{t('pay.total')}</th><th className="num" data-testid="pay-total">{formatMoney(due.total)}</th></tr></tfoot>
              </table>
            )}
            {due.paid ? <p><Badge tone="ok">{t('pay.paid')}</Badge></p> : due.total > 0 && (
              <button type="button" className="primary" disabled={start.isPending || start.isSuccess} onClick={() => start.mutate()}>
                {start.isPending || start.isSuccess ? t('pay.going') : t('pay.payNow', { amount: formatMoney(due.total) })}
              </button>
            )}
            <ErrorBox error={start.error} />
          </section>
          {due.payments.length > 0 && (
            <section className="card" aria-labelledby="pay-history">
              <h2 id="pay-history">{t('pay.history')}</h2>
              <table className="table">
                <thead><tr><th>{t('pay.when')}</th><th className="num">{t('pay.amount')}</th><th>{t('pay.status')}</th><th>{t('pay.receipt')}</th></tr></thead>
                <tbody>
                  {due.payments.map((p) => (
                    <tr key={p.id}>
                      <td>{formatDateTime(p.createdAt)}</td>
                      <td className="num">{formatMoney(p.amount)}</td>
                      <td><Badge tone={TONE[p.status]}>{t(`status.${p.status}`)}</Badge>{p.method === 'cash' && <span className="muted small"> · {t('method.cash')}</span>}</td>
                      <td>{p.receiptUrl ? <a href={p.receiptUrl} target="_blank" rel="noreferrer">{t('pay.openReceipt')}</a> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {/* The 4 digits let the citizen read and pay, not change how they are told (docs/notifications.md): that takes the receipt's key or their session. */}
          {'key' in factor ? <Channels code={code} qrKey={factor.key} /> : (
            <section className="card" aria-labelledby="pay-notify">
              <h2 id="pay-notify">{t('pay.notify')}</h2>
              <p className="muted" data-testid="pay-notify-key">{t('pay.notifyNeedsKey')}</p>
              <p><Link to={`/cong-dan/ho-so/${encodeURIComponent(code)}`}>{t('pay.notifySignedIn')}</Link></p>
            </section>
          )}
          <p><Link to={`/public/lookup/${encodeURIComponent(code)}${qrKey ? `?k=${encodeURIComponent(qrKey)}` : ''}`}>{t('result.back')}</Link></p>
        </>
      )}
    </Page>
  );
}

function FactorForm({ notFound, onSubmit }: { notFound: boolean; onSubmit: (last4: string) => void }) {
  const { t } = useTranslation('payments');
  const [last4, setLast4] = useState('');
  return (
    <form className="card" aria-labelledby="pay-factor" onSubmit={(e) => { e.preventDefault(); if (/^\d{4}$/.test(last4)) onSubmit(last4); }}>
      <h2 id="pay-factor">{t('pay.factorTitle')}</h2>
      <Field label={t('pay.last4')} error={notFound ? t('pay.notFound') : undefined}>
        {(id) => <input id={id} value={last4} onChange={(e) => setLast4(e.target.value.trim())} inputMode="numeric" maxLength={4} size={6} pattern="[0-9]{4}" />}
      </Field>
      <button type="submit" className="primary">{t('pay.check')}</button>
    </form>
  );
}

const CHANNELS = ['email', 'sms', 'zalo'] as const;

function Channels({ code, qrKey }: { code: string; qrKey: string }) {
  const { t } = useTranslation('payments');
  const [chosen, setChosen] = useState<string[]>(['email']);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/public/dossiers/{id}/notifications', {
      params: { path: { id: code } }, body: { key: qrKey, channels: chosen as ('email' | 'sms' | 'zalo')[] },
    })),
  });
  return (
    <form className="card" aria-labelledby="pay-notify" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <h2 id="pay-notify">{t('pay.notify')}</h2>
      {CHANNELS.map((c) => (
        <label key={c} className="check">
          <input type="checkbox" checked={chosen.includes(c)} onChange={(e) => setChosen(e.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c))} /> {t(`pay.${c}`)}
        </label>
      ))}
      <button type="submit" disabled={save.isPending}>{t('pay.saveChannels')}</button>
      {save.data && <p role="status">{t('pay.saved', { channels: save.data.channels.map((c) => t(`pay.${c}`)).join(', ') })}</p>}
      <ErrorBox error={save.error} />
    </form>
  );
}
