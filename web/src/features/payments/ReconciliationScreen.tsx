/**
 * `/payments`: the administrators' reconciliation per day and unit — paid (and of it, the cash
 * handed in at the desk), pending, failed, cancelled, refunded (count and amount) — and the
 * payments behind it.
 */
import { useState, type ReactElement } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Badge, Empty, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatDateTime, formatMoney } from '../../ui/format';
import { TONE } from './PayPage';

const STATUSES = ['paid', 'pending', 'failed', 'cancelled', 'refunded'] as const;

/** Today in Vietnam's time, YYYY-MM-DD. */
const today = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

export function ReconciliationScreen() {
  const { t } = useTranslation('payments');
  const [form, setForm] = useState({ from: today(), to: today(), unit: '' });
  const [period, setPeriod] = useState(form);
  const q = useQuery({
    queryKey: ['payments', 'reconciliation', period],
    queryFn: () => unwrap(api.GET('/api/payments/reconciliation', {
      params: { query: { from: period.from, to: period.to, ...(period.unit.trim() ? { unit: period.unit.trim() } : {}) } },
    })),
  });
  const cell = (m: { count: number; amount: number }) => (
    <td className="num">{m.count ? <>{formatMoney(m.amount)}<br /><small className="muted">{t('reconcile.count', { count: m.count })}</small></> : '—'}</td>
  );
  return (
    <Page title={t('reconcile.title')}>
      <form className="card toolbar" onSubmit={(e) => { e.preventDefault(); setPeriod(form); }}>
        <Field label={t('reconcile.from')}>{(id) => <input id={id} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />}</Field>
        <Field label={t('reconcile.to')}>{(id) => <input id={id} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />}</Field>
        <Field label={t('reconcile.unit')}>{(id) => <input id={id} value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value })} />}</Field>
        <button type="submit" className="primary">{t('reconcile.show')}</button>
      </form>
      {q.isPending ? <Loading /> : q.error || !q.data ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : q.data.lines.length === 0 ? <Empty>{t('reconcile.none')}</Empty> : (
        <>
          <table className="table" data-testid="reconciliation">
            <thead>
              <tr><th>{t('reconcile.day')}</th><th>{t('reconcile.unitName')}</th>{STATUSES.map((s) => <th key={s} className="num">{t(`status.${s}`)}</th>)}<th className="num">{t('reconcile.cash')}</th></tr>
            </thead>
            <tbody>
              {q.data.lines.map((l) => (
                <tr key={`${l.day}-${l.unit}`}><td>{l.day}</td><td>{l.unitName}</td>{STATUSES.map((s) => <Cell key={s} m={l[s]} render={cell} />)}<Cell m={l.cash} render={cell} /></tr>
              ))}
            </tbody>
            <tfoot><tr><th colSpan={2}>{t('reconcile.total')}</th>{STATUSES.map((s) => <Cell key={s} m={q.data.total[s]} render={cell} />)}<Cell m={q.data.total.cash} render={cell} /></tr></tfoot>
          </table>
          <h2>{t('reconcile.payments')}</h2>
          <table className="table">
            <thead><tr><th>{t('pay.when')}</th><th>{t('reconcile.reference')}</th><th>{t('reconcile.dossier')}</th><th className="num">{t('pay.amount')}</th><th>{t('reconcile.method')}</th><th>{t('pay.status')}</th><th>{t('reconcile.reason')}</th></tr></thead>
            <tbody>
              {q.data.payments.map((p) => (
                <tr key={p.id}>
                  <td>{formatDateTime(p.createdAt)}</td><td><code>{p.id.slice(0, 12)}…</code></td><td>{p.dossierId}</td><td className="num">{formatMoney(p.amount)}</td>
                  <td>{t(`method.${p.method}`)}{p.recordedBy ? ` · ${p.recordedBy.name}` : ''}</td>
                  <td><Badge tone={TONE[p.status]}>{t(`status.${p.status}`)}</Badge></td><td>{p.refundReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Page>
  );
}

function Cell({ m, render }: { m: { count: number; amount: number }; render: (m: { count: number; amount: number }) => ReactElement }) {
  return render(m);
}
