/**
 * The desk's answers to an online dossier waiting for acceptance, from the inbox: accept in one
 * click (slip 01), or open the smallest form a supplement request (slip 02: papers and a reason)
 * or a refusal (slip 03: a reason) needs. The actions are the dossier's own (the engine's
 * available actions, found by intent at its intake step) taken through the same route and
 * client call as the dossier page; the server validates and its issues land on the fields.
 */
import { useRef, useState } from 'react';
import { useQuery, useQueryClient, useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ErrorBox, Loading, Modal } from '../../ui';
import { isUnder, labelsAt } from '../../ui/labels';
import { pick } from '../../i18n';
import { postAction, procedureDetailQuery, useDossier } from './api';
import { keyFor } from './logic';
import type { AvailableAction, DossierView, InboxItem } from './types';

export type OnlineAnswerKind = 'supplement' | 'refuse';

/** Whether an inbox row is an online dossier still waiting at intake (the three answers are offered). */
export function waitsOnlineAcceptance(item: InboxItem): boolean {
  return !item.receivedAt && !item.closedAt && item.channel === 'online' && item.status !== 'waiting-citizen' && item.steps.some((st) => st.step === 'intake');
}

/** The dossier's open action of this intent at an intake step (the shipped procedures: intake:requestSupplement / intake:refuse). */
export function intakeAction(d: DossierView, kind: OnlineAnswerKind | 'proceed'): AvailableAction | undefined {
  const atIntake = new Set(d.active.filter((a) => a.kind === 'intake').map((a) => a.step));
  return d.actions.find((a) => a.intent === kind && (atIntake.size === 0 ? a.step === 'intake' : atIntake.has(a.step)));
}

/** The three buttons of a waiting online dossier's row. Clicks stay in the row (the row itself opens the dossier). */
export function OnlineAnswerButtons({ item, onAnswer, onAccepted }: {
  item: InboxItem; onAnswer: (kind: OnlineAnswerKind) => void; onAccepted: (error: unknown) => void;
}) {
  const { t } = useTranslation('desk');
  const queryClient = useQueryClient();
  const accept = useMutation({
    // Accepting takes no input: the row's own step and action, as the intake wizard sends them.
    mutationFn: () => postAction(item.id, { step: 'intake', action: 'accept', inputs: {}, expectedVersion: item.version }, crypto.randomUUID()),
    onSuccess: async () => { onAccepted(null); await queryClient.invalidateQueries({ queryKey: ['dossiers'] }); },
    onError: (e) => onAccepted(e),
  });
  const stop = (e: React.MouseEvent, then: () => void) => { e.stopPropagation(); then(); };
  return (
    <div className="row online-answers" onClick={(e) => e.stopPropagation()}>
      <button type="button" className="primary small" disabled={accept.isPending} onClick={(e) => stop(e, () => accept.mutate())}>{t('inbox.acceptOnline')}</button>
      <button type="button" className="small" onClick={(e) => stop(e, () => onAnswer('supplement'))}>{t('online.askSupplement')}</button>
      <button type="button" className="danger small" onClick={(e) => stop(e, () => onAnswer('refuse'))}>{t('online.refuse')}</button>
    </div>
  );
}

/** The form of a supplement request or a refusal, in a dialog; `onClose` gets the notice to show when done. */
export function OnlineAnswerDialog({ item, kind, onClose }: { item: InboxItem; kind: OnlineAnswerKind; onClose: (notice: string | null) => void }) {
  const { t } = useTranslation('desk');
  const queryClient = useQueryClient();
  const dossier = useDossier(item.id);
  const detail = useQuery({ ...procedureDetailQuery(item.procedureId), enabled: kind === 'supplement' });
  const [picked, setPicked] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const idem = useRef<{ body: string; key: string } | null>(null);

  const action = dossier.data ? intakeAction(dossier.data, kind) : undefined;
  const run = useMutation({
    mutationFn: ({ d, a }: { d: DossierView; a: AvailableAction }) => {
      // Papers from the list go by id (the slip prints their names and forms); typed ones as written, one a line.
      const others = typed.split('\n').map((x) => x.trim()).filter(Boolean);
      const inputs = kind === 'supplement' ? { reason: reason.trim(), documents: [...picked, ...others] } : { reason: reason.trim() };
      const body = { step: a.step, action: a.action, inputs, expectedVersion: d.version };
      idem.current = keyFor(idem.current, { id: d.id, ...body }, () => crypto.randomUUID());
      return postAction(d.id, body, idem.current.key);
    },
    onSuccess: async () => {
      onClose(t(kind === 'supplement' ? 'online.supplementSent' : 'online.refusalSent', { code: item.id }));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['dossiers'] }),
        queryClient.invalidateQueries({ queryKey: ['dossier', item.id] }),
      ]);
    },
  });

  const issues = run.error instanceof ApiError ? run.error.issues : [];
  const on = (path: string) => issues.some((i) => isUnder(i.path, path));
  // Issues of other fields (or none) are the error box's; those of the form's fields are said beside them.
  const otherIssues = issues.filter((i) => !isUnder(i.path, '/inputs/documents') && !isUnder(i.path, '/inputs/reason'));
  // The box names the form's fields as they are labelled here, not by pointer.
  const labelOf = labelsAt({ '/inputs/documents': t('online.papers'), '/inputs/reason': t('online.reason') });
  const shownError = run.error instanceof ApiError && issues.length > 0 && otherIssues.length === 0 ? null : run.error;
  const title = t(kind === 'supplement' ? 'online.supplementTitle' : 'online.refuseTitle', { code: item.id });

  return (
    <Modal title={title} open onClose={() => onClose(null)} wide={kind === 'supplement'}>
      {dossier.isPending ? <Loading /> : dossier.error ? <ErrorBox error={dossier.error} /> : !action || !dossier.data ? (
        <p className="notice warn" role="alert">{t('online.notOpen')}</p>
      ) : (
        <form className="online-answer" noValidate onSubmit={(e) => { e.preventDefault(); run.mutate({ d: dossier.data, a: action }); }}>
          <p className="muted">{t(kind === 'supplement' ? 'online.supplementLead' : 'online.refuseLead', { name: item.applicantName })}</p>
          {run.error instanceof ApiError && !shownError && <p className="error-box" role="alert"><strong>{pick(run.error.messages)}</strong></p>}
          <ErrorBox error={shownError} labelOf={labelOf} />
          {kind === 'supplement' && (
            <fieldset className="papers" aria-invalid={on('/inputs/documents')} aria-describedby={on('/inputs/documents') ? 'answer-papers-error' : undefined}>
              <legend>{t('online.papers')}</legend>
              {detail.isPending ? <Loading /> : (detail.data?.documents ?? []).map((p) => (
                <label key={p.id} className="check-line">
                  <input type="checkbox" checked={picked.includes(p.id)}
                    onChange={(e) => setPicked((xs) => (e.target.checked ? [...xs, p.id] : xs.filter((x) => x !== p.id)))} />
                  <span>{pick(p.name)}</span>
                </label>
              ))}
              <label className="block">
                <span>{t('online.otherPapers')}</span>
                <textarea rows={2} value={typed} onChange={(e) => setTyped(e.target.value)} />
              </label>
              {on('/inputs/documents') && <p id="answer-papers-error" className="field-error" role="alert">{t('online.papersMissing')}</p>}
            </fieldset>
          )}
          <label className="block">
            <span>{t('online.reason')}</span>
            <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={on('/inputs/reason')}
              aria-describedby={on('/inputs/reason') ? 'answer-reason-error' : undefined} />
          </label>
          {on('/inputs/reason') && <p id="answer-reason-error" className="field-error" role="alert">{t('online.reasonMissing')}</p>}
          <p className="small muted">{t(kind === 'supplement' ? 'online.supplementSlip' : 'online.refuseSlip')}</p>
          <div className="row form-buttons">
            <button type="submit" className={kind === 'refuse' ? 'danger' : 'primary'} disabled={run.isPending}>{pick(action.label)}</button>
            <button type="button" onClick={() => onClose(null)}>{t('common:action.cancel')}</button>
          </div>
        </form>
      )}
    </Modal>
  );
}
