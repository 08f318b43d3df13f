/**
 * The fees of a dossier on the officer's dossier page: what is due, the payments made (online
 * or in cash at the desk) with their receipts, and — for the receiving unit's desk — "Ghi nhận
 * nộp tiền mặt", confirmed in a dialog, for a citizen who paid at the counter.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Badge, ErrorBox, Modal } from '../../ui';
import { formatDateTime, formatMoney } from '../../ui/format';
import { TONE } from './PayPage';

export function DeskPayment({ id, onDone }: { id: string; onDone: (message: string) => void }) {
  const { t } = useTranslation('payments');
  const queryClient = useQueryClient();
  // Under the dossier's key: a live update of the dossier (a payment notified, a step moved) reloads it.
  const fees = useQuery({
    queryKey: ['dossier', id, 'payments'],
    queryFn: () => unwrap(api.GET('/api/dossiers/{id}/payments', { params: { path: { id } } })),
    retry: false,
  });
  const [confirming, setConfirming] = useState(false);
  // One key per confirmation: a retry after a lost answer records the cash once.
  const [key, setKey] = useState('');
  const record = useMutation({
    mutationFn: (amount: number) => unwrap(api.POST('/api/dossiers/{id}/payments/cash', {
      params: { path: { id }, header: { 'Idempotency-Key': key } }, body: { amount },
    })),
    onSuccess: async (p) => {
      setConfirming(false);
      onDone(t('desk.recorded', { amount: formatMoney(p.amount), number: p.id }));
      await queryClient.invalidateQueries({ queryKey: ['dossier', id] });
      await queryClient.invalidateQueries({ queryKey: ['dossiers'] });
    },
    // Paid online meanwhile, or the fees changed: the error says so, the table shows it.
    onError: () => void queryClient.invalidateQueries({ queryKey: ['dossier', id, 'payments'] }),
  });
  const f = fees.data;
  if (!f || (f.total === 0 && f.payments.length === 0)) return fees.error ? <ErrorBox error={fees.error} /> : null;
  return (
    <section className="card fees-panel" aria-labelledby="desk-fees">
      <h2 id="desk-fees">{t('desk.title')}</h2>
      <p>
        {f.fees.map((x) => `${x.name}: ${formatMoney(x.amount)}`).join('; ')} — <strong>{t('pay.total')}: {formatMoney(f.total)}</strong>{' '}
        <Badge tone={f.paid ? 'ok' : 'warn'}>{f.paid ? t('status.paid') : t('desk.unpaid')}</Badge>
      </p>
      {f.payments.length > 0 && (
        <table className="table" data-testid="desk-payments">
          <thead><tr><th>{t('pay.when')}</th><th className="num">{t('pay.amount')}</th><th>{t('desk.method')}</th><th>{t('pay.status')}</th><th>{t('pay.receipt')}</th></tr></thead>
          <tbody>
            {f.payments.map((p) => (
              <tr key={p.id}>
                <td>{formatDateTime(p.settledAt ?? p.createdAt)}</td>
                <td className="num">{formatMoney(p.amount)}</td>
                <td>{t(`method.${p.method}`)}{p.recordedBy && <span className="muted small"> · {t('desk.by', { name: p.recordedBy.name })}</span>}</td>
                <td><Badge tone={TONE[p.status]}>{t(`status.${p.status}`)}</Badge>{p.refundReason && <div className="small muted">{p.refundReason}</div>}</td>
                <td>{p.receiptUrl ? <a href={p.receiptUrl} target="_blank" rel="noreferrer">{t('pay.openReceipt')}</a> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {f.mayRecordCash && (
        <button type="button" onClick={() => { record.reset(); setKey(crypto.randomUUID()); setConfirming(true); }}>{t('desk.record')}</button>
      )}
      <Modal title={t('desk.record')} open={confirming} onClose={() => setConfirming(false)}>
        <p>{t('desk.confirm', { amount: formatMoney(f.total), code: id })}</p>
        <p className="small muted">{t('desk.effects')}</p>
        <ErrorBox error={record.error} />
        <div className="row">
          <button type="button" className="primary" disabled={record.isPending} onClick={() => record.mutate(f.total)}>{t('desk.confirmButton')}</button>
          <button type="button" onClick={() => setConfirming(false)}>{t('common:action.cancel')}</button>
        </div>
      </Modal>
    </section>
  );
}
