/** Who holds each active step of a dossier, with "take it" and "assign to" (a person, not a role, holds a dossier). */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAuth, type Role } from '../../app/auth';
import { ErrorBox } from '../../ui';
import { pick } from '../../i18n';
import { postAssign, postClaim, useOfficers } from './api';
import { roleName } from './Deadline';
import type { ActiveStepView, DossierView } from './types';

export function HoldPanel({ dossier, stepName, onDone }: { dossier: DossierView; stepName: (id: string) => string; onDone: (message: string) => void }) {
  const { t } = useTranslation('desk');
  const steps = dossier.active.filter((a) => a.role !== null && a.role !== 'applicant' && a.role !== 'system');
  if (dossier.status === 'done' || steps.length === 0) return null;
  return (
    <section className="card hold-panel" aria-labelledby="hold-title">
      <h2 id="hold-title">{t('dossier.hold.title')}</h2>
      {steps.map((a) => <HoldStep key={a.step} dossier={dossier} step={a} label={pick(a.name) || stepName(a.step) || a.step} onDone={onDone} />)}
    </section>
  );
}

function HoldStep({ dossier, step, label, onDone }: { dossier: DossierView; step: ActiveStepView; label: string; onDone: (message: string) => void }) {
  const { t } = useTranslation('desk');
  const { user, hasRole } = useAuth();
  const queryClient = useQueryClient();
  const [officer, setOfficer] = useState('');
  const role = step.role;
  // What the server will allow, guessed from the grants so the buttons only show where they can work.
  const mayClaim = role !== null && hasRole(role as Role, step.unit) && step.holder?.id !== user?.id;
  const mayAssign = role !== null && (hasRole(role as Role, step.unit) || hasRole(['leader', 'admin']));
  const officers = useOfficers(step.unit, role, mayAssign);
  const done = async (view: DossierView, message: string) => {
    queryClient.setQueryData(['dossier', dossier.id], view);
    onDone(message);
    await queryClient.invalidateQueries({ queryKey: ['dossiers'] });
  };
  const claim = useMutation({
    mutationFn: () => postClaim(dossier.id, step.step),
    onSuccess: (view) => done(view, t('dossier.hold.claimed', { step: label })),
  });
  const assign = useMutation({
    mutationFn: (id: string) => postAssign(dossier.id, step.step, id),
    onSuccess: (view, id) => done(view, t('dossier.hold.assigned', { step: label, name: officers.data?.items.find((o) => o.id === id)?.name ?? id })),
  });
  const holder = step.holder;
  // The holder cannot be handed what he holds: with nobody else to choose, no empty list and dead "Giao".
  const others = officers.data?.items.filter((o) => o.id !== holder?.id) ?? [];
  return (
    <div className="hold-step">
      <div>
        <strong>{label}</strong> <span className="muted small">· {roleName(t, role)}</span>
        <div data-testid={`holder-${step.step}`}>
          {holder ? <>{holder.name}{holder.by && <span className="muted small"> ({t('dossier.hold.by', { name: holder.by.name })})</span>}</>
            : <span className="muted">{t('dossier.hold.nobody')}</span>}
        </div>
      </div>
      <div className="row">
        {mayClaim && <button type="button" disabled={claim.isPending} onClick={() => claim.mutate()}>{t('dossier.hold.claim')}</button>}
        {mayAssign && others.length > 0 && (
          <form className="row" onSubmit={(e) => { e.preventDefault(); if (officer) assign.mutate(officer); }}>
            <label className="inline">
              <span>{t('dossier.hold.assignTo')}</span>
              <select value={officer} onChange={(e) => setOfficer(e.target.value)}>
                <option value="">{t('dossier.hold.choose')}</option>
                {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
              </select>
            </label>
            <button type="submit" disabled={!officer || assign.isPending}>{t('dossier.hold.assign')}</button>
          </form>
        )}
      </div>
      <ErrorBox error={claim.error ?? assign.error} />
    </div>
  );
}
