/**
 * Share of dossiers synced to the national portal and the sync lag, per unit (Decision
 * 766/QĐ-TTg, public disclosure group): dossiers submitted in the last 30 days.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ErrorBox, Loading } from '../../ui';
import { formatNumber } from '../../ui/format';
import { percent } from './chartData';

export function PortalSyncCard() {
  const { t } = useTranslation('portal');
  const q = useQuery({ queryKey: ['stats', 'portal-sync'], queryFn: () => unwrap(api.GET('/api/portal/sync', {})) });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const seconds = (v: number | null) => (v === null ? '—' : t('seconds', { value: formatNumber(v, 1) }));
  return (
    <section className="card portal-sync" aria-labelledby="portal-sync-heading">
      <h2 id="portal-sync-heading">{t('heading')}</h2>
      <p className="muted">{t('note')}</p>
      {!d.connected ? <p>{t('notConnected')}</p> : d.units.length === 0 ? <p>{t('empty')}</p> : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('unit')}</th>
              <th scope="col">{t('dossiers')}</th>
              <th scope="col">{t('synced')}</th>
              <th scope="col">{t('share')}</th>
              <th scope="col">{t('pending')}</th>
              <th scope="col">{t('failed')}</th>
              <th scope="col">{t('lagAvg')}</th>
              <th scope="col">{t('lagMax')}</th>
            </tr>
          </thead>
          <tbody>
            {d.units.map((u) => (
              <tr key={u.unit}>
                <th scope="row">{u.name}</th>
                <td>{formatNumber(u.dossiers)}</td>
                <td>{formatNumber(u.synced)}</td>
                <td>{u.share === null ? '—' : `${formatNumber(percent(u.share) ?? 0, 1)} %`}</td>
                <td>{formatNumber(u.pending)}</td>
                <td className={u.failed > 0 ? 'bad' : undefined}>{formatNumber(u.failed)}</td>
                <td>{seconds(u.lagAvgS)}</td>
                <td>{seconds(u.lagMaxS)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
