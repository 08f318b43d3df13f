/** `/public/procedures/:id`: a procedure in force as a citizen needs it — documents, fees, time limit, how to apply, steps. */
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, ErrorBox, Loading, Page } from '../../ui';
import { formatDate, formatMoney } from '../../ui/format';
import { deadlineWords, feeWords } from './words';
import type { ProcedureDetail, PublicStep } from './types';
import './public.css';

export function ProcedurePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('public');
  const q = useQuery({
    queryKey: ['public', 'procedures', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/public/procedures/{id}', { params: { path: { id } } })),
  });
  const back = <Link to="/public" className="button">{t('detail.back')}</Link>;
  if (q.isPending) return <Page title={t('catalog.title')} actions={back}><Loading /></Page>;
  if (q.error) return <Page title={t('catalog.title')} actions={back}><ErrorBox error={q.error} onRetry={() => void q.refetch()} /></Page>;
  const p = q.data;
  return (
    <Page title={pick(p.name)} actions={back}>
      <div className="pub-detail">
        <Facts p={p} />
        <Documents p={p} />
        <Fees p={p} />
        <section className="card" aria-labelledby="pub-steps">
          <h2 id="pub-steps">{t('detail.steps')}</h2>
          <Steps steps={p.steps} />
        </section>
        <section className="card" aria-labelledby="pub-result">
          <h2 id="pub-result">{t('detail.result')}</h2>
          <p>{pick(p.result)}</p>
        </section>
        {p.legalBasis.length > 0 && (
          <section className="card" aria-labelledby="pub-legal">
            <h2 id="pub-legal">{t('detail.legalBasis')}</h2>
            <ul>{p.legalBasis.map((l) => <li key={l}>{l}</li>)}</ul>
          </section>
        )}
        {p.onlineLevel !== 'none' && <p><Link to={`/cong-dan/nop/${encodeURIComponent(p.id)}`} className="button primary">{t('citizen:submitOnline')}</Link></p>}
        <p><Link to="/public/lookup">{t('detail.track')}</Link></p>
      </div>
    </Page>
  );
}

function Facts({ p }: { p: ProcedureDetail }) {
  const { t } = useTranslation('public');
  const d = deadlineWords(p.legalDeadline);
  const yes = (b: boolean) => (b ? t('detail.yes') : t('detail.no'));
  const rows: [string, React.ReactNode][] = [
    [t('detail.code'), p.publishedCode ?? p.code],
    [t('detail.field'), p.field],
    [t('detail.level'), t(`level.${p.level}`, { defaultValue: p.level })],
    [t('detail.implementingBody'), p.implementingBody],
    [t('detail.decidingAuthority'), p.decidingAuthority],
  ];
  if (p.delegatedAuthority) rows.push([t('detail.delegatedAuthority'), p.delegatedAuthority]);
  if (p.coordinatingBodies.length > 0) rows.push([t('detail.coordinatingBodies'), p.coordinatingBodies.join('; ')]);
  rows.push([
    t('detail.deadline'),
    <>
      <strong>{t(d.key, d.values)}</strong>
      {p.deadlineNote && <span className="pub-note">{pick(p.deadlineNote)}</span>}
      {p.settings?.cutoffTime && <span className="pub-note">{t('detail.cutoff', { time: p.settings.cutoffTime })}</span>}
    </>,
  ]);
  rows.push([t('detail.onlineLevel'), <Badge tone={p.onlineLevel === 'full' ? 'ok' : p.onlineLevel === 'partial' ? 'info' : 'neutral'}>{t(`online.${p.onlineLevel}`, { defaultValue: p.onlineLevel })}</Badge>]);
  rows.push([t('detail.channels'), p.channels ? p.channels.map((c) => t(`common:channel.${c}`, { defaultValue: c })).join(', ') : t('detail.allChannels')]);
  rows.push([t('detail.postal'), yes(p.postal)]);
  rows.push([t('detail.nonGeographic'), yes(p.nonGeographic)]);
  if (p.effectiveFrom) rows.push([t('detail.effectiveFrom'), formatDate(p.effectiveFrom)]);
  return (
    <section className="card" aria-labelledby="pub-facts">
      <h2 id="pub-facts">{t('detail.facts')}</h2>
      <dl className="pub-facts">
        {rows.map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
    </section>
  );
}

function Documents({ p }: { p: ProcedureDetail }) {
  const { t } = useTranslation('public');
  return (
    <section className="card" aria-labelledby="pub-docs">
      <h2 id="pub-docs">{t('detail.documents')}</h2>
      {p.documents.length === 0 ? <p className="muted">{t('detail.noDocuments')}</p> : (
        <table className="pub-table pub-cards">
          <thead>
            <tr>
              <th scope="col" className="num">{t('detail.docNo')}</th>
              <th scope="col">{t('detail.docName')}</th>
              <th scope="col">{t('detail.docForm')}</th>
              <th scope="col" className="num">{t('detail.docCount')}</th>
              <th scope="col">{t('detail.docTemplate')}</th>
              <th scope="col">{t('detail.docNote')}</th>
            </tr>
          </thead>
          <tbody>
            {p.documents.map((doc, n) => (
              <tr key={doc.id}>
                <td className="num" data-label={t('detail.docNo')}>{n + 1}</td>
                <td data-label={t('detail.docName')}>{pick(doc.name)}</td>
                <td data-label={t('detail.docForm')}>{t(`form.${doc.form}`, { defaultValue: doc.form })}</td>
                <td className="num" data-label={t('detail.docCount')}>{doc.count}</td>
                <td data-label={t('detail.docTemplate')}>{doc.template ?? '—'}</td>
                <td data-label={t('detail.docNote')}>
                  {doc.optional && <Badge>{t('detail.optional')}</Badge>}
                  {doc.conditional && <Badge tone="info">{t('detail.conditional')}</Badge>}
                  {doc.note && <span className="pub-note">{pick(doc.note)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Fees({ p }: { p: ProcedureDetail }) {
  const { t } = useTranslation('public');
  return (
    <section className="card" aria-labelledby="pub-fees">
      <h2 id="pub-fees">{t('detail.fees')}</h2>
      {p.fees.length === 0 ? <p>{t('detail.noFees')}</p> : (
        <table className="pub-table pub-cards">
          <thead>
            <tr>
              <th scope="col">{t('detail.feeName')}</th>
              <th scope="col">{t('detail.feeAmount')}</th>
              <th scope="col">{t('detail.feeNote')}</th>
            </tr>
          </thead>
          <tbody>
            {p.fees.map((f) => (
              <tr key={f.id}>
                <td data-label={t('detail.feeName')}>{pick(f.name)}</td>
                <td className="pub-nowrap" data-label={t('detail.feeAmount')}>
                  {feeWords(f, formatMoney, (u) => t(`per.${u}`, { defaultValue: u }), (amount) => t('detail.max', { amount })) || t('detail.free')}
                </td>
                <td data-label={t('detail.feeNote')}>
                  {f.conditional && <Badge tone="info">{t('detail.conditional')}</Badge>}
                  {f.note && <span className="pub-note">{pick(f.note)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Steps in order, in plain words; the final (technical) steps are left out. */
function Steps({ steps }: { steps: PublicStep[] }) {
  const { t } = useTranslation('public');
  const shown = steps.filter((s) => s.kind !== 'final');
  return (
    <ol className="pub-steps">
      {shown.map((s) => {
        const sla = s.sla && (s.sla.days || s.sla.hours) ? deadlineWords(s.sla) : null;
        return (
          <li key={s.id}>
            <strong>{pick(s.name)}</strong>
            {s.description && <p>{pick(s.description)}</p>}
            <p className="muted">
              {s.handledBy && <span>{t('detail.handledBy', { who: pick(s.handledBy) })}</span>}
              {s.handledBy && sla && ' · '}
              {sla && <span>{t('detail.stepTime', { time: t(sla.key, sla.values) })}</span>}
            </p>
            {s.branches?.map((b) => (
              <div key={b.id} className="pub-branch">
                <em>{t('detail.branch', { name: pick(b.name) })}</em>
                {/* The generated type loses the nested step shape (a recursive schema); it is the same as the parent's. */}
                <Steps steps={b.steps as unknown as PublicStep[]} />
              </div>
            ))}
          </li>
        );
      })}
    </ol>
  );
}
