/** One dossier: who, what, where it stands and until when; the actions on offer; history, documents, data, slips, links. */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { openPdf } from '../../api/client';
import { useAuth } from '../../app/auth';
import { useWatchDossier } from '../../app/live';
import { Badge, Empty, ErrorBox, Loading, Page } from '../../ui';
import { Deadline, roleName } from './Deadline';
import { formatDateTime } from '../../ui/format';
import { WorkingSpan } from '../../ui/DeadlineBadge';
import { pick } from '../../i18n';
import { procedureDetailQuery, useDossier, useEvents, useStepNames } from './api';
import { dataRows } from './dataRows';
import { issuedSlips, nextInList, slipsOf, statusKey } from './logic';
import { readTrail } from './trail';
import { HoldPanel } from './HoldPanel';
import { ActionPanel } from './ActionPanel';
import { Documents, intakePapersOf } from './Documents';
import { StaffResults } from '../esign/StaffResults';
import { DeskPayment } from '../payments/DeskPayment';
import { Timeline, VerifyBadge } from './Timeline';
import type { DossierView } from './types';
import './desk.css';
import { unitLabel, usePublicUnits } from '../../app/units';
import { UnitName } from '../../app/UnitName';

const TABS = ['timeline', 'documents', 'data', 'slips', 'links'] as const;
type Tab = (typeof TABS)[number];

export function DossierPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('desk');
  const { hasRole } = useAuth();
  const outOfSight = useWatchDossier(id);
  const dossier = useDossier(id);
  const [tab, setTab] = useState<Tab>('timeline');
  const [flash, setFlash] = useState('');
  // After an action, the next dossier of the inbox list this one was opened from.
  const [next, setNext] = useState<{ id: string | null } | null>(null);
  const navigate = useNavigate();
  const afterAction = (message: string) => {
    setFlash(message);
    const trail = readTrail();
    setNext(trail ? { id: nextInList(trail.ids, id) } : null);
  };
  const openNext = (to: string) => { setFlash(''); setNext(null); void navigate(`/dossiers/${encodeURIComponent(to)}`); };
  const stepNames = useStepNames(dossier.data ? [dossier.data.procedure.id] : []);
  // The application form of the procedure (public detail): titles and labels for the data tab and the history.
  const detail = useQuery({ ...procedureDetailQuery(dossier.data?.procedure.id ?? ''), enabled: Boolean(dossier.data), retry: false });
  const form: unknown = (detail.data as { data?: unknown } | undefined)?.data;

  if (dossier.isPending) return <Page title={t('dossier.title', { code: id })}><Loading /></Page>;
  if (!dossier.data) return <Page title={t('dossier.title', { code: id })}><ErrorBox error={dossier.error} onRetry={() => void dossier.refetch()} /></Page>;
  const d = dossier.data;
  const names = stepNames.get(d.procedure.id);
  const closed = d.status === 'done';

  return (
    <Page
      title={t('dossier.title', { code: d.id })}
      actions={<><VerifyBadge id={d.id} /><Link to="/dossiers">{t('dossier.back')}</Link></>}
    >
      {flash && (
        <div className="notice ok row" role="status">
          <span className="grow">{flash}</span>
          {next && (next.id
            ? <button type="button" className="primary" autoFocus onClick={() => openNext(next.id!)}>{t('dossier.next', { code: next.id })}</button>
            : <span className="muted">{t('dossier.listEnd')}</span>)}
        </div>
      )}
      {outOfSight
        ? <div className="notice warn" role="alert">{t('dossier.outOfSight')}</div>
        : <ErrorBox error={dossier.error} />}
      <div className="dossier-top">
        <Header d={d} stepName={(s) => pick(names?.get(s))} />
        {!outOfSight && <ActionPanel dossier={d} onDone={afterAction} />}
      </div>
      {!outOfSight && <HoldPanel dossier={d} stepName={(s) => pick(names?.get(s))} onDone={setFlash} />}
      {!outOfSight && <DeskPayment id={d.id} onDone={setFlash} />}

      <div className="tabs" role="tablist" aria-label={t('dossier.title', { code: d.id })}>
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-controls={`panel-${k}`} aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`dossier.tabs.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="card">
        {tab === 'timeline' && <Timeline dossier={d} stepNames={names} form={form} outOfSight={outOfSight} />}
        {tab === 'documents' && <Documents id={d.id} papers={intakePapersOf(d.data)} holderId={d.applicant.id ?? ''} canUpload={!closed && !outOfSight && hasRole(['desk', 'specialist'])} outOfSight={outOfSight} />}
        {tab === 'documents' && <StaffResults id={d.id} canUpload={!closed && !outOfSight && hasRole(['specialist'])} outOfSight={outOfSight} />}
        {tab === 'data' && <DataView data={d.data} schema={form} />}
        {tab === 'slips' && <Slips d={d} />}
        {tab === 'links' && <Links d={d} />}
      </div>
    </Page>
  );
}

function Header({ d, stepName }: { d: DossierView; stepName: (id: string) => string }) {
  const { t } = useTranslation('desk');
  const units = usePublicUnits().data;
  const closed = d.status === 'done';
  const status = statusKey(d.status, d.outcome);
  const tone = closed ? (d.outcome === 'approved' ? 'ok' : 'neutral') : d.status === 'waiting-citizen' ? 'info' : 'warn';
  return (
    <section className="card dossier-head" aria-label={t('dossier.title', { code: d.id })}>
      <dl className="facts-grid">
        <div className="wide"><dt>{t('dossier.procedure')}</dt><dd>{pick(d.procedure.name) || d.procedure.code} <span className="muted small">({d.procedure.code} · {d.procedure.field})</span></dd></div>
        <div><dt>{t('dossier.applicant')}</dt><dd>{d.applicant.name}{d.applicant.id && <span className="muted small"> · {d.applicant.id}</span>}</dd></div>
        <div><dt>{t('dossier.status')}</dt><dd><Badge tone={tone}>{t(`common:status.${status}`, { defaultValue: status })}</Badge>
          {d.timeliness && <> <Badge tone={d.timeliness === 'late' ? 'bad' : 'ok'}>{t(`dossier.timeliness.${d.timeliness}`)}</Badge></>}</dd></div>
        <div><dt>{t('dossier.channel')}</dt><dd>{t(`common:channel.${d.channel}`)}</dd></div>
        <div><dt>{t('dossier.submitted')}</dt><dd>{formatDateTime(d.clock.submittedAt)}</dd></div>
        <div><dt>{t('dossier.received')}</dt><dd>{d.clock.receivedAt ? formatDateTime(d.clock.receivedAt) : <Badge tone="info">{t('dossier.notAccepted')}</Badge>}</dd></div>
        <div>
          <dt>{t('dossier.due')}</dt>
          <dd>
            {d.clock.dueAt ? formatDateTime(d.clock.dueAt) : d.clock.pausedAt && d.clock.remainingMinutes !== null ? <>{t('dossier.pausedLeft')} <WorkingSpan minutes={d.clock.remainingMinutes} /></> : '—'}
            {' '}
            <Deadline dueAt={d.clock.dueAt} progress={d.progress} closed={closed} />
            {d.clock.originalDueAt && d.clock.originalDueAt !== d.clock.dueAt && <div className="small muted">{t('dossier.originalDue')}: {formatDateTime(d.clock.originalDueAt)}</div>}
          </dd>
        </div>
        <div className="wide">
          <dt>{t('dossier.current')}</dt>
          <dd>
            {d.active.length === 0 ? '—' : d.active.map((a) => (
              <div key={a.step}>
                <strong>{pick(a.name) || stepName(a.step) || a.step}</strong>
                <span className="muted small"> · {roleName(t, a.role)} · <UnitName code={a.unit} /></span>
                {a.dueAt && <span className="small" data-testid={`step-due-${a.step}`}> · {t('dossier.stepDue', { at: formatDateTime(a.dueAt) })}</span>}
              </div>
            ))}
          </dd>
        </div>
        {!closed && <div><dt>{t('dossier.handler')}</dt><dd>{[...new Set(d.active.map((a) => a.holder?.name))].filter(Boolean).join(', ') || <span className="muted">{t('dossier.unassigned')}</span>}</dd></div>}
        <div className="wide"><dt>{t('dossier.units')}</dt>
          <dd className="small">{t('dossier.receiving')}: {unitLabel(units, d.routing.receiving)} · {t('dossier.competent')}: {unitLabel(units, d.routing.competent)} · {t('dossier.returnAt')}: {unitLabel(units, d.routing.returnUnit)} ({t(`intake.via.${d.routing.returnVia}`)})</dd>
        </div>
      </dl>
    </section>
  );
}

/** The data captured so far, read-only, as the form shows it: titles, form order, dd/mm/yyyy, choice labels. */
function DataView({ data, schema }: { data: { [k: string]: unknown }; schema: unknown }) {
  const { t, i18n } = useTranslation('desk');
  // Contact details and the intake checklist have their own places (below, and the documents tab).
  const { applicantContact, intakePapers: _papers, sharedData: _shared, reusedPapers: _reused, ...rest } = data;
  const contact = applicantContact as { address?: string | null; phone?: string | null; email?: string | null } | undefined;
  const rows = dataRows(schema, rest, i18n.language === 'en' ? 'en' : 'vi', { yes: t('dossier.yes'), no: t('dossier.no') });
  return (
    <div className="grid two">
      <div>
        {rows.length === 0 ? <Empty>{t('dossier.noData')}</Empty> : (
          <table className="kv" data-testid="dossier-data"><tbody>{rows.map((r) => <tr key={r.key}><th scope="row" title={r.key}>{r.label}</th><td className="pre">{r.text}</td></tr>)}</tbody></table>
        )}
      </div>
      {contact && (
        <div>
          <h3>{t('dossier.contact')}</h3>
          <table className="kv"><tbody>
            <tr><th scope="row">{t('intake.applicantAddress')}</th><td>{contact.address ?? '—'}</td></tr>
            <tr><th scope="row">{t('intake.applicantPhone')}</th><td>{contact.phone ?? '—'}</td></tr>
            <tr><th scope="row">{t('intake.applicantEmail')}</th><td>{contact.email ?? '—'}</td></tr>
          </tbody></table>
        </div>
      )}
    </div>
  );
}

function Slips({ d }: { d: DossierView }) {
  const { t } = useTranslation('desk');
  const events = useEvents(d.id);
  const [error, setError] = useState<unknown>(null);
  const open = (kind: string, seq?: number) => {
    setError(null);
    openPdf(`/api/dossiers/${encodeURIComponent(d.id)}/slips/${kind}${seq ? `?seq=${seq}` : ''}`).catch(setError);
  };
  const issued = issuedSlips(events.data ?? []);
  return (
    <div>
      <div className="row">
        {slipsOf(d, events.data ?? []).map((kind) => (
          <button key={kind} type="button" onClick={() => open(kind)}>
            {t('common:action.print')}: {t(`dossier.slip.${kind}`)}
          </button>
        ))}
      </div>
      {issued.length > 0 && (
        <table className="issued-slips" data-testid="issued-slips">
          <caption>{t('dossier.issued.title')}</caption>
          <thead><tr><th scope="col">{t('dossier.issued.slip')}</th><th scope="col">{t('dossier.issued.number')}</th><th scope="col">{t('dossier.issued.at')}</th><th scope="col">{t('dossier.issued.replaces')}</th><th scope="col"><span className="sr-only">{t('dossier.issued.open')}</span></th></tr></thead>
          <tbody>
            {issued.map((s) => (
              <tr key={`${s.kind}-${s.number}`}>
                <td>{t(`dossier.slip.${s.kind}`)}</td><td>{s.number}</td><td>{formatDateTime(s.at)}</td>
                <td>{s.replaces === null ? '—' : t('dossier.issued.replacesNumber', { number: s.replaces })}</td>
                <td><button type="button" className="link" onClick={() => open(s.kind, s.number)}>{t('dossier.issued.open')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

function Links({ d }: { d: DossierView }) {
  const { t } = useTranslation('desk');
  const units = usePublicUnits().data;
  const children = Object.entries(d.links);
  if (!d.parentId && children.length === 0) return <Empty>{t('dossier.noLinks')}</Empty>;
  return (
    <ul className="links">
      {d.parentId && <li>{t('dossier.parent')}: <Link to={`/dossiers/${encodeURIComponent(d.parentId)}`}>{d.parentId}</Link></li>}
      {children.map(([key, l]) => (
        <li key={key}>
          {t('dossier.child', { unit: unitLabel(units, l.unit) })}: {l.dossierId ? <Link to={`/dossiers/${encodeURIComponent(l.dossierId)}`}>{l.dossierId}</Link> : null} {l.procedure}
          {' '}{l.outcome ? <Badge tone={l.outcome === 'approved' ? 'ok' : 'bad'}>{t(`common:status.done/${l.outcome}`, { defaultValue: l.outcome })}</Badge> : <Badge tone="warn">{t('common:status.active')}</Badge>}
        </li>
      ))}
    </ul>
  );
}
