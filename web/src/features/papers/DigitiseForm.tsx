/** The desk marks a submitted document as the digitised copy of a checklist paper, with its metadata. */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../ui';
import { pick } from '../../i18n';
import { digitise } from './api';

export interface ChecklistPaper { id: string; name: { vi: string; en?: string } }

export function DigitiseForm({ dossierId, doc, papers, holderId, onDone }: {
  dossierId: string; doc: { id: string; name: string; paperId: string | null }; papers: ChecklistPaper[]; holderId: string; onDone: () => void;
}) {
  const { t } = useTranslation('papers');
  const queryClient = useQueryClient();
  const [v, setV] = useState({ paperId: doc.paperId ?? papers[0]?.id ?? '', number: '', issuer: '', issuedOn: '', holderId, validUntil: '' });
  const save = useMutation({
    mutationFn: () => digitise(dossierId, doc.id, {
      paperId: v.paperId, number: v.number, issuer: v.issuer, issuedOn: v.issuedOn, holderId: v.holderId, ...(v.validUntil ? { validUntil: v.validUntil } : {}),
    }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['dossier', dossierId, 'documents'] });
      await queryClient.invalidateQueries({ queryKey: ['citizen-store'] });
      onDone();
    },
  });
  const field = (k: keyof typeof v, type = 'text') => (
    <label className="inline"><span>{t(`field.${k}`)}</span>
      <input name={k} type={type} value={v[k]} required={k !== 'validUntil'} onChange={(e) => setV({ ...v, [k]: e.target.value })} />
    </label>
  );
  return (
    <form className="card digitise-form" aria-label={t('digitiseTitle', { name: doc.name })} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <h3>{t('digitiseTitle', { name: doc.name })}</h3>
      <label className="inline"><span>{t('field.paper')}</span>
        <select name="paperId" value={v.paperId} onChange={(e) => setV({ ...v, paperId: e.target.value })}>
          {papers.map((p) => <option key={p.id} value={p.id}>{pick(p.name)}</option>)}
        </select>
      </label>
      {field('number')}{field('issuer')}{field('issuedOn', 'date')}{field('holderId')}{field('validUntil', 'date')}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>{t('save')}</button>
        <button type="button" onClick={onDone}>{t('cancel')}</button>
      </div>
      <ErrorBox error={save.error} />
    </form>
  );
}
