/**
 * `/thanh-toan/ket-qua?vnp_…`: where the gateway sends the citizen back. The signed result is
 * checked by the server; the payment's state is what the gateway's server-to-server notice
 * settled, so a late notice shows "waiting" and the page asks again until it arrives.
 */
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { Badge, ErrorBox, Loading, Page } from '../../ui';
import { formatMoney } from '../../ui/format';
import { TONE } from './PayPage';
import { resultWording } from './resultWording';
import { pick } from '../../i18n';

export function ReturnPage() {
  const [search] = useSearchParams();
  const { t } = useTranslation('payments');
  const query = Object.fromEntries(search.entries());
  const result = useQuery({
    queryKey: ['payments', 'return', search.toString()],
    queryFn: () => unwrap(api.GET('/api/public/payments/return', { params: { query: query as never } })),
    retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2,
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 2000 : false),
  });
  const p = result.data;
  const words = p ? resultWording(p) : null;
  return (
    <Page title={t('result.title')}>
      {result.isPending ? <Loading /> : result.error || !p || !words ? <ErrorBox error={result.error} /> : (
        <section className="card" aria-labelledby="pay-result">
          <h2 id="pay-result" data-testid="pay-result">
            {t(words.heading)}
          </h2>
          {words.reason && <p>{t('result.reason', { reason: pick(words.reason), code: words.code })}</p>}
          {p.status === 'pending' && p.providerSays === 'success' && <p className="muted">{t('result.pendingSuccess')}</p>}
          <dl className="pub-facts">
            <div><dt>{t('result.dossier')}</dt><dd>{p.dossierId}</dd></div>
            <div><dt>{t('result.amount')}</dt><dd>{formatMoney(p.amount)}</dd></div>
            <div><dt>{t('pay.status')}</dt><dd><Badge tone={TONE[p.status]}>{t(`status.${p.status}`)}</Badge></dd></div>
            {p.receiptUrl && <div><dt>{t('result.reference')}</dt><dd><code>{p.id}</code></dd></div>}
          </dl>
          {p.receiptUrl && <p><a className="button primary" href={p.receiptUrl} target="_blank" rel="noreferrer">{t('pay.openReceipt')}</a></p>}
          {/* Cancelled on the gateway or declined by the bank: the way on is paying again, not a lookup asking for the factor. */}
          {words.payAgain && <p><Link className="button primary" to={`/thanh-toan/${encodeURIComponent(p.dossierId)}`}>{t('result.again')}</Link></p>}
          <p><Link to={`/public/lookup/${encodeURIComponent(p.dossierId)}`}>{t('result.back')}</Link></p>
        </section>
      )}
    </Page>
  );
}
