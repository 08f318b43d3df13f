/**
 * The intake wizard (tiếp nhận): procedure → documents → applicant and declaration →
 * review (declaration, fees, channel and units; Enter accepts). Accepting issues the receipt slip at once; a dossier can
 * also be saved at intake to request a supplement or be refused there.
 */
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ErrorSchema, FormValidation } from '@rjsf/utils';
import { api, ApiError, openPdf } from '../../api/client';
import { useAuth } from '../../app/auth';
import { ErrorBox, Loading, Page } from '../../ui';
import { OfflineNotice } from './OfflineNotice';
import { formatDateTime } from '../../ui/format';
import { currentLang, pick } from '../../i18n';
import { loadDataSchema, procedureDetailQuery, unwrapAs, type PublicProcedure } from './api';
import { defaultReturnVia, keyFor, withReceivingUnit } from './logic';
import { unitLabel, usePublicUnits } from '../../app/units';
import { formUiSchema, intakeFormSchema, issuesToErrorSchema, pruneEmpty } from './schemaForm';
import { SchemaForm } from './SchemaForm';
import { DocumentChecklist, ProcedureFacts, ProcedureFinder, type Routing } from './IntakeSteps';
import { IntakeReview, type Mode } from './IntakeReview';
import { applicantShortcuts, applyComputed, applyShortcut, checkApplicantPhone, INTAKE_STEPS as STEPS } from './intakeHelpers';
import { PHONE_MESSAGE } from '@motcua/engine/phone';
import type { DossierView } from './types';
import { SharedDataPanel } from '../papers/SharedDataPanel';
import { ChecklistNote } from '../papers/ChecklistNotes';
import { reusableFor, useCitizenStore, type Lookup } from '../papers/api';
import './desk.css';

type FormValue = { [key: string]: unknown };

export function Intake() {
  const { t } = useTranslation('desk');
  const { unitsFor } = useAuth();
  const units = unitsFor('desk');
  const publicUnits = usePublicUnits().data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const [step, setStep] = useState(0);
  const [procedure, setProcedure] = useState<PublicProcedure | null>(null);
  const [received, setReceived] = useState<Set<string>>(new Set());
  const [form, setForm] = useState<FormValue>({ applicant: {}, data: {} });
  const [routing, setRouting] = useState<Routing>({ channel: 'direct', receivingUnit: units[0] ?? '', competentUnit: units[0] ?? '', returnVia: 'desk' });
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>();
  const [result, setResult] = useState<{ dossier: DossierView; mode: Mode } | null>(null);
  const idem = useRef<{ body: string; key: string } | null>(null);
  const [printError, setPrintError] = useState<unknown>(null);
  // Papers citizens need not bring again (features/papers): lookups with consent, stored electronic copies.
  const [personalId, setPersonalId] = useState('');
  const [lookups, setLookups] = useState<Lookup[]>([]);
  const [noReuse, setNoReuse] = useState<Set<string>>(new Set());
  const store = useCitizenStore(personalId);

  const detail = useQuery({ ...procedureDetailQuery(procedure?.id ?? ''), enabled: procedure !== null });
  const dataSchema = useQuery({
    queryKey: ['public', 'procedure', procedure?.id ?? '', 'data-schema', detail.data?.version ?? 0],
    queryFn: () => loadDataSchema(detail.data!),
    enabled: detail.data !== undefined,
  });
  const schema = useMemo(() => intakeFormSchema(dataSchema.data?.schema, {
    applicant: t('intake.applicant'), name: t('intake.applicantName'), id: t('intake.applicantId'), phone: t('intake.applicantPhone'),
    email: t('intake.applicantEmail'), address: t('intake.applicantAddress'), data: t('intake.dataTitle'),
  }), [dataSchema.data, t]);
  // The applicant's name takes the focus: the officer types without reaching for the mouse.
  const ui = useMemo(() => {
    const base = formUiSchema(schema) as { applicant?: { [k: string]: unknown } };
    return { applicant: { ...base.applicant, name: { 'ui:autofocus': true } } };
  }, [schema]);
  const shortcuts = applicantShortcuts(dataSchema.data?.schema);
  const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
  // "The applicant is the mother": chosen once, it keeps the copy up to date as the applicant is typed.
  const [linked, setLinked] = useState<string | null>(null);
  const withComputed = (v: FormValue, link = linked): FormValue => {
    const data = (v['data'] ?? {}) as FormValue;
    const shortcut = shortcuts.find((sc) => sc.title === link);
    const copied = shortcut ? applyShortcut(shortcut, (v['applicant'] ?? {}) as FormValue, data) : data;
    const next = applyComputed(dataSchema.data?.schema, copied, today);
    return next === data ? v : { ...v, data: next };
  };

  const held = (d: { id: string; paperType?: string }) => reusableFor(d, store.data ?? [], today);
  const reused = (detail.data?.documents ?? []).flatMap((d) => {
    const e = held(d);
    return e && !noReuse.has(d.id) ? [{ paperId: d.id, documentId: e.documentId }] : [];
  });
  const onPersonalId = (v: string) => {
    setPersonalId(v);
    setForm((f) => ({ ...f, applicant: { ...((f['applicant'] ?? {}) as FormValue), id: v } }));
  };
  const onLookup = (l: Lookup) => {
    setLookups((all) => [...all.filter((x) => x.source !== l.source), l]);
    const fields = Object.keys(((dataSchema.data?.schema ?? {}) as { properties?: object }).properties ?? {});
    const data = Object.fromEntries(Object.entries(l.prefill.data).filter(([k]) => fields.includes(k)));
    setForm((f) => withComputed({ applicant: { ...((f['applicant'] ?? {}) as FormValue), id: l.personalId, ...l.prefill.applicant }, data: { ...((f['data'] ?? {}) as FormValue), ...data } }));
  };

  const submit = useMutation({
    mutationFn: (mode: Mode) => {
      const applicant = (pruneEmpty(form['applicant']) ?? {}) as { name: string; id?: string };
      const ticked = new Set([...received, ...reused.map((r) => r.paperId)]);
      const usedLookups = lookups.filter((l) => l.personalId === applicant.id).map((l) => l.id);
      const data = pruneEmpty(form['data']) as FormValue | undefined;
      const body = {
        procedureId: procedure!.id,
        channel: routing.channel,
        receivingUnit: routing.receivingUnit,
        ...(routing.competentUnit && routing.competentUnit !== routing.receivingUnit ? { competentUnit: routing.competentUnit } : {}),
        returnVia: routing.returnVia,
        applicant,
        ...(data ? { data } : {}),
        // The checklist goes with the dossier: the specialist and the leader read it in its documents tab.
        ...(ticked.size > 0 ? { papers: detail.data?.documents.filter((d) => ticked.has(d.id)).map((d) => d.id) ?? [] } : {}),
        ...(usedLookups.length ? { sharedData: usedLookups } : {}),
        ...(reused.length && applicant.id === personalId ? { reuse: reused } : {}),
        accept: mode === 'accept',
      };
      idem.current = keyFor(idem.current, body, () => crypto.randomUUID());
      return unwrapAs<DossierView>(api.POST('/api/dossiers', { params: { header: { 'Idempotency-Key': idem.current.key } }, body }));
    },
    onSuccess: async (dossier, mode) => {
      idem.current = null;
      await queryClient.invalidateQueries({ queryKey: ['dossiers'] });
      queryClient.setQueryData(['dossier', dossier.id], dossier);
      if (mode === 'refuse') {
        void navigate(`/dossiers/${encodeURIComponent(dossier.id)}?act=refuse`);
        return;
      }
      setResult({ dossier, mode });
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || e.issues.length === 0) return;
      // Data issues from the engine point into `data`; body issues already carry their place.
      const issues = e.code === 'START_INVALID' ? e.issues.map((i) => (i.path !== undefined && !i.path.startsWith('/data') ? { ...i, path: `/data${i.path}` } : i)) : e.issues;
      // Only the form's own fields send the officer back to it; a routing issue stays on the review, where its fields are.
      const errors = issuesToErrorSchema(issues.filter((i) => /^\/(applicant|data)(\/|$)/.test(i.path ?? '')), (i) => pick(i.message));
      if (Object.keys(errors).length > 0) { setServerErrors(errors); setStep(2); }
    },
  });

  const restart = () => {
    setStep(0); setLinked(null); setProcedure(null); setReceived(new Set()); setForm({ applicant: {}, data: {} }); setResult(null); setServerErrors(undefined); submit.reset();
    setPersonalId(''); setLookups([]); setNoReuse(new Set());
  };

  if (units.length === 0) return <Page title={t('intake.title')}><ErrorBox error={new Error(t('intake.notDesk'))} /></Page>;

  if (result) {
    const d = result.dossier;
    return (
      <Page title={result.mode === 'accept' ? t('intake.done') : t('intake.registered')}>
        <div className="card intake-done" role="status">
          <dl className="facts-list">
            <dt>{t('intake.code')}</dt><dd><strong className="code-big" data-testid="dossier-code">{d.id}</strong></dd>
            <dt>{t('dossier.procedure')}</dt><dd>{pick(d.procedure.name)}</dd>
            <dt>{t('dossier.applicant')}</dt><dd>{d.applicant.name}</dd>
            {d.clock.dueAt && <><dt>{t('intake.dueAt')}</dt><dd><strong>{formatDateTime(d.clock.dueAt)}</strong></dd></>}
          </dl>
          <div className="row">
            {d.clock.receivedAt && (
              <button type="button" className="primary" onClick={() => { setPrintError(null); openPdf(`/api/dossiers/${encodeURIComponent(d.id)}/slips/receipt`).catch(setPrintError); }}>
                {t('intake.printReceipt')}
              </button>
            )}
            <Link className="button" to={`/dossiers/${encodeURIComponent(d.id)}`}>{t('intake.openDossier')}</Link>
            <button type="button" onClick={restart}>{t('intake.another')}</button>
          </div>
          <ErrorBox error={printError} />
        </div>
      </Page>
    );
  }

  const go = (n: number) => { setStep(n); submit.reset(); };
  const canGo = (n: number) => n === 0 || (procedure !== null && detail.data !== undefined && (n <= 2 || step >= n));

  return (
    <Page title={t('intake.title')}>
      <ol className="wizard-steps" aria-label={t('intake.title')}>
        {STEPS.map((s, n) => (
          <li key={s} aria-current={n === step ? 'step' : undefined} className={n === step ? 'current' : n < step ? 'done' : ''}>
            <button type="button" className="link" disabled={!canGo(n) || n === step} onClick={() => go(n)}>
              {n + 1}. {t(`intake.steps.${s}`)}
            </button>
          </li>
        ))}
      </ol>
      <h2 className="step-title">{t('intake.stepOf', { n: step + 1, total: STEPS.length, name: t(`intake.steps.${STEPS[step]}`) })}</h2>

      {step > 0 && detail.data && <ProcedureFacts detail={detail.data} />}
      <ErrorBox error={detail.error} />

      {/* The procedure list says what the receiving unit can take in: an officer at several desks picks the unit first, and the list follows it. */}
      {step === 0 && units.length > 1 && (
        <div className="field">
          <label htmlFor="intake-desk-unit">{t('intake.receivingUnit')}</label>
          <select id="intake-desk-unit" value={routing.receivingUnit} onChange={(e) => setRouting((r) => withReceivingUnit(r, units, e.target.value))}>
            {units.map((u) => <option key={u} value={u}>{unitLabel(publicUnits, u)}</option>)}
          </select>
        </div>
      )}
      {step === 0 && (
        <ProcedureFinder chosen={procedure?.id ?? null} desk={routing.receivingUnit} onChoose={(p) => {
          if (p.id !== procedure?.id) { setLinked(null); setProcedure(p); setReceived(new Set()); setForm((f) => ({ applicant: f['applicant'] ?? {}, data: {} })); setServerErrors(undefined); }
          go(1);
        }} />
      )}

      {step > 0 && procedure && !detail.data && !detail.error && <Loading />}

      {step === 1 && detail.data && (
        <>
          <SharedDataPanel procedureId={detail.data.id} unit={routing.receivingUnit} personalId={personalId} onPersonalId={onPersonalId} lookups={lookups} onLookup={onLookup} />
          <DocumentChecklist detail={detail.data} received={received} onChange={setReceived} annotate={(d) => (
            <ChecklistNote paper={d} held={held(d)} reused={!noReuse.has(d.id)} lookups={lookups}
              onReuse={(on) => setNoReuse((s) => { const n = new Set(s); if (on) n.delete(d.id); else n.add(d.id); return n; })} />
          )} />
          <Nav onBack={() => go(0)} onNext={() => go(2)} />
        </>
      )}

      {step === 2 && detail.data && (dataSchema.isPending ? <Loading /> : (
        <>
          <ErrorBox error={dataSchema.error} />
          {dataSchema.data?.unavailable && <p className="notice" role="note">{t('intake.schemaUnavailable')}</p>}
          {dataSchema.data && !dataSchema.data.unavailable && dataSchema.data.schema == null && <p className="muted">{t('intake.noDataForm')}</p>}
          {submit.error && <ErrorBox error={submit.error} />}
          {shortcuts.length > 0 && (
            <div className="row intake-shortcuts">
              {shortcuts.map((sc) => (
                <button key={sc.title} type="button" aria-pressed={linked === sc.title}
                  onClick={() => { const next = linked === sc.title ? null : sc.title; setLinked(next); setForm((f) => withComputed(f, next)); }}>
                  {currentLang() === 'en' ? sc.titleEn : sc.title}
                </button>
              ))}
            </div>
          )}
          <SchemaForm schema={schema} formData={form} idPrefix="intake" className="intake-form" extraErrors={serverErrors}
            uiSchema={ui}
            // The phone goes on the receipt and unlocks the public lookup: a mistyped one is told at its field, in words.
            customValidate={(v, errors) => {
              // rjsf types a nested object's errors as unknown: the applicant's is the intake schema's own.
              if (!checkApplicantPhone(v ?? {}).ok) (errors['applicant'] as FormValidation<{ phone?: string }> | undefined)?.phone?.addError(pick(PHONE_MESSAGE));
              return errors;
            }}
            onChange={(v) => { setForm(withComputed(v)); }}
            onSubmit={(v) => { const checked = checkApplicantPhone(v); setForm(withComputed(checked.ok ? checked.form : v)); setServerErrors(undefined); go(3); }}>
            <Nav onBack={() => go(1)} submit />
          </SchemaForm>
        </>
      ))}

      {step === 3 && detail.data && (
        <IntakeReview detail={detail.data} dataSchema={dataSchema.data?.schema} form={form} received={received} units={units}
          routing={routing} onRouting={(r) => setRouting(r.channel !== routing.channel ? { ...r, returnVia: defaultReturnVia(r.channel) } : r)}
          pending={submit.isPending} error={submit.error} onSubmit={(mode) => submit.mutate(mode)} onBack={() => go(2)} />
      )}
      {step === 3 && <OfflineNotice paused={submit.isPaused} />}
    </Page>
  );
}

function Nav({ onBack, onNext, submit }: { onBack: () => void; onNext?: () => void; submit?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="row form-buttons">
      <button type="button" onClick={onBack}>{t('action.back')}</button>
      {submit ? <button type="submit" className="primary">{t('action.next')}</button> : <button type="button" className="primary" onClick={onNext}>{t('action.next')}</button>}
    </div>
  );
}
