/** The actions the user may take now on a dossier, as buttons coloured by intent; each opens its form or a confirm. */
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ErrorSchema } from '@rjsf/utils';
import { ApiError } from '../../api/client';
import { ErrorBox, Modal } from '../../ui';
import { currentLang, pick } from '../../i18n';
import { postAction, postPreview, type ActionPreview } from './api';
import { conflictChange, inSentence, intentClass, isStaleAnswer, keyFor, signingLines, sortActions } from './logic';
import { formatDateTime } from '../../ui/format';
import { fieldLabel, issuesToErrorSchema, pruneEmpty } from './schemaForm';
import { SchemaForm } from './SchemaForm';
import { OfflineNotice } from './OfflineNotice';
import type { AvailableAction, DossierView } from './types';

export function ActionPanel({ dossier, onDone }: { dossier: DossierView; onDone: (message: string) => void }) {
  const { t } = useTranslation('desk');
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<AvailableAction | null>(null);
  const [inputs, setInputs] = useState<{ [k: string]: unknown }>({});
  const [fieldErrors, setFieldErrors] = useState<ErrorSchema | undefined>();
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const idem = useRef<{ body: string; key: string } | null>(null);
  const [params, setParams] = useSearchParams();

  const actions = sortActions(dossier.actions);

  const start = (a: AvailableAction) => { setOpen(a); setInputs({}); setFieldErrors(undefined); setConflict(null); run.reset(); };

  // `?act=refuse` (from the intake wizard) opens that action at once.
  const wanted = params.get('act');
  useEffect(() => {
    if (!wanted) return;
    const a = dossier.actions.find((x) => x.action === wanted);
    if (a) start(a);
    setParams((p) => { p.delete('act'); return p; }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per request in the address
  }, [wanted]);

  const run = useMutation({
    mutationFn: ({ action, values }: { action: AvailableAction; values: { [k: string]: unknown } }) => {
      const body = { step: action.step, action: action.action, inputs: (pruneEmpty(values) ?? {}) as { [k: string]: unknown }, expectedVersion: dossier.version };
      idem.current = keyFor(idem.current, { id: dossier.id, ...body }, () => crypto.randomUUID());
      return postAction(dossier.id, body, idem.current.key);
    },
    onSuccess: async (view, { action }) => {
      idem.current = null;
      queryClient.setQueryData(['dossier', dossier.id], view);
      setOpen(null);
      onDone(t('dossier.done', { action: pick(action.label) }));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['dossier', dossier.id] }),
        queryClient.invalidateQueries({ queryKey: ['dossiers'] }),
      ]);
    },
    onError: async (e) => {
      if (e instanceof ApiError && isStaleAnswer(e.status, e.code)) {
        setOpen(null);
        setConflict(e);
        await queryClient.invalidateQueries({ queryKey: ['dossier', dossier.id] });
        return;
      }
      if (e instanceof ApiError && e.issues.length > 0) setFieldErrors(issuesToErrorSchema(e.issues, (i) => pick(i.message), '/inputs'));
    },
  });

  return (
    <section className="card actions-card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('dossier.actions')}</h2>
      {conflict && (
        <div className="notice warn" role="alert">
          <strong>{conflictText(conflict, t)}</strong>
          <div className="small">{pick(conflict.messages)}</div>
        </div>
      )}
      {actions.length === 0 ? <p className="muted">{t('dossier.noActions')}</p> : (
        <ul className="action-list">
          {actions.map((a) => (
            <li key={`${a.step}:${a.action}`}>
              <button type="button" className={intentClass(a.intent)} onClick={() => start(a)}>{pick(a.label)}</button>
              {a.onBehalfOf && <small className="behalf">{t('dossier.onBehalfOf', { name: [a.onBehalfOf.title, a.onBehalfOf.name].filter(Boolean).join(' ') })}</small>}
              {/* once, under the action that signs: the modal shows it for the others */}
              {a.intent === 'proceed' && signingLines(a) && <small className="behalf">{t('dossier.signing', { formula: signingLines(a)?.join(' / ') })}</small>}
            </li>
          ))}
        </ul>
      )}

      <Modal title={open ? pick(open.label) : ''} open={open !== null} onClose={() => setOpen(null)} wide={Boolean(open?.inputs)}>
        {open && (
          <>
            {open.onBehalfOf && (
              <p className="notice info">
                {t('dossier.onBehalfOf', { name: [open.onBehalfOf.title, open.onBehalfOf.name].filter(Boolean).join(' ') })}
              </p>
            )}
            {signingPreview(open, t('dossier.signingTitle'))}
            {!open.inputs && <p>{t('dossier.confirmText', { action: pick(open.label), code: dossier.id })}</p>}
            <HandoffPreview dossierId={dossier.id} action={open} inputs={inputs} />
            {/* The issues by the field's title, as the form labels it: the pointer is for programs. */}
            <ErrorBox error={run.error} labelOf={(path) => fieldLabel(open.inputs, path, '/inputs', currentLang())} />
            <OfflineNotice paused={run.isPaused} />
            <SchemaForm
              schema={open.inputs ?? { type: 'object', properties: {} }}
              formData={inputs}
              onChange={setInputs}
              onSubmit={(values) => run.mutate({ action: open, values })}
              extraErrors={fieldErrors}
              idPrefix="action"
              disabled={run.isPending}
            >
              <div className="row form-buttons">
                <button type="submit" className={intentClass(open.intent) || 'primary'} disabled={run.isPending}>{t('common:action.confirm')}</button>
                <button type="button" onClick={() => setOpen(null)}>{t('common:action.cancel')}</button>
              </div>
            </SchemaForm>
          </>
        )}
      </Modal>
    </section>
  );
}

/** The signature block the officer is about to sign with, as it will be printed (Decree 30/2020 layout). */
function signingPreview(a: AvailableAction, title: string) {
  const lines = signingLines(a);
  if (!lines || !a.signing) return null;
  return (
    <figure className="notice info signing-preview" aria-label={title}>
      <figcaption className="small">{title}</figcaption>
      {lines.map((l, i) => <div key={i}><strong>{l}</strong></div>)}
      <div className="small">{a.signing.signer}</div>
    </figure>
  );
}

/** "Hồ sơ vừa được Trần B phê duyệt, ký lúc 10:05 05/12/2026; đã tải lại…", or the plain notice when the server names nobody. */
function conflictText(e: ApiError, t: (key: string, values?: { [k: string]: string }) => string): string {
  const change = conflictChange(e.body);
  if (!change) return t('dossier.conflict');
  return t('dossier.conflictBy', {
    name: change.name,
    action: change.label ? inSentence(pick(change.label)) : t('dossier.conflictUpdated'),
    time: formatDateTime(change.at),
  });
}

/**
 * Where the action's hand-offs would go, before it is taken: the server runs the action on the
 * dossier without writing (POST /api/dossiers/:id/preview) as the inputs change, and names the
 * unit (one chosen from the data at run time included), or says why the unit will not do.
 */
function HandoffPreview({ dossierId, action, inputs }: { dossierId: string; action: AvailableAction; inputs: { [k: string]: unknown } }) {
  const { t } = useTranslation('desk');
  const [preview, setPreview] = useState<ActionPreview | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const body = JSON.stringify(pruneEmpty(inputs) ?? {});
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      postPreview(dossierId, { step: action.step, action: action.action, inputs: JSON.parse(body) as { [k: string]: unknown } })
        .then((p) => { if (live) { setPreview(p); setRefusal(null); } })
        .catch((e: unknown) => {
          if (!live) return;
          setPreview(null);
          // Inputs not filled in yet are the form's business; only a unit that will not do is said here.
          setRefusal(e instanceof ApiError && (e.code === 'HANDOFF_UNIT_INVALID' || e.code === 'HANDOFF_UNIT_KIND') ? e : null);
        });
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [dossierId, action.step, action.action, body]);
  if (refusal) return <p className="notice warn" role="alert" data-testid="handoff-preview">{pick(refusal.messages)}</p>;
  if (!preview || preview.handoffs.length === 0) return null;
  return (
    <div className="notice info" role="status" data-testid="handoff-preview">
      {preview.handoffs.map((h) => (
        <div key={h.step}>
          {t(h.procedure.internal ? 'dossier.handoffCoordination' : 'dossier.handoffTo', { unit: h.unit.name, code: h.unit.code, procedure: h.procedure.name ? pick(h.procedure.name) : h.procedure.id })}
        </div>
      ))}
    </div>
  );
}
