/**
 * At intake: the applicant's personal ID, the citizen's consent, and the lookups in the
 * national population database and the civil-status database. A lookup found pre-fills the
 * applicant and drops the papers the procedure marks "not required when the data is found".
 */
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../ui';
import { isPersonalId, lookup, type Lookup } from './api';

type Source = 'population' | 'civil-status';

export function SharedDataPanel({ procedureId, unit, personalId, onPersonalId, lookups, onLookup }: {
  procedureId: string; unit: string; personalId: string; onPersonalId: (v: string) => void;
  lookups: Lookup[]; onLookup: (l: Lookup) => void;
}) {
  const { t } = useTranslation('papers');
  const [consent, setConsent] = useState(false);
  const [method, setMethod] = useState<'at-desk' | 'written' | 'vneid'>('at-desk');
  const run = useMutation({
    mutationFn: (source: Source) => lookup({
      source, personalId, unit, purpose: procedureId, procedureId, ...(consent ? { consent: { given: true, method } } : {}),
    }),
    onSuccess: onLookup,
  });
  const done = (s: Source) => lookups.find((l) => l.source === s && l.personalId === personalId);
  const person = done('population')?.record as { fullName?: string } | undefined;
  return (
    <fieldset className="shared-data" data-testid="shared-data">
      <legend>{t('shared.title')}</legend>
      <p className="muted">{t('shared.hint')}</p>
      <div className="row">
        <label className="inline"><span>{t('shared.personalId')}</span>
          <input name="personalId" inputMode="numeric" maxLength={12} value={personalId} onChange={(e) => onPersonalId(e.target.value.trim())} />
        </label>
        <label className="inline"><span>{t('shared.method')}</span>
          <select value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            {(['at-desk', 'written', 'vneid'] as const).map((m) => <option key={m} value={m}>{t(`shared.methods.${m}`)}</option>)}
          </select>
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('shared.consent')}
      </label>
      <div className="row">
        {(['population', 'civil-status'] as const).map((s) => (
          <button key={s} type="button" disabled={!isPersonalId(personalId) || run.isPending || done(s) !== undefined} onClick={() => run.mutate(s)}>
            {t(`shared.${s}`)}
          </button>
        ))}
      </div>
      {person?.fullName && <p role="status" className="ok-text">{t('shared.found', { name: person.fullName })}</p>}
      {done('civil-status') && <p className="ok-text">{t('shared.foundCivil')}</p>}
      <ErrorBox error={run.error} />
    </fieldset>
  );
}
