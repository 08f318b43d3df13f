/** The pieces of the intake wizard: procedure finder, facts, document checklist, channel and units. */
import { useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Badge, Empty, ErrorBox, Loading } from '../../ui';
import { formatMoney } from '../../ui/format';
import { pick } from '../../i18n';
import type { ProcedureDetail, PublicProcedure } from './api';
import { allowedChannels, competentChoices, likelyCompetent } from './logic';
import type { Channel } from './types';
import { unitLabel, usePublicUnits } from '../../app/units';

type Duration = { days?: number; hours?: number };

export function DeadlineText({ d }: { d: Duration }) {
  const { t } = useTranslation('desk');
  if (d.hours !== undefined) return <>{t('intake.hours', { count: d.hours })}</>;
  if (!d.days) return <>{t('intake.sameDay')}</>;
  return <>{t('intake.days', { count: d.days })}</>;
}

/**
 * Step 1: search the procedures in force and choose one. Asked for this desk's unit, the list
 * says which procedures the desk cannot receive and why (another kind of unit decides them, or
 * another level), those last and not choosable: the officer can tell the citizen where to go.
 */
export function ProcedureFinder({ chosen, desk, onChoose }: { chosen: string | null; desk: string; onChoose: (p: PublicProcedure) => void }) {
  const { t } = useTranslation('desk');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    queryKey: ['public', 'procedures', 'search', q, desk],
    queryFn: () => unwrap(api.GET('/api/public/procedures', { params: { query: { ...(q ? { q } : {}), ...(desk ? { desk } : {}), pageSize: 30 } } })),
    placeholderData: (previous) => previous,
  });
  return (
    <div>
      <div className="field">
        <label htmlFor="intake-find">{t('intake.findProcedure')}</label>
        <input id="intake-find" type="search" autoFocus value={text} onChange={(e) => setText(e.target.value)} placeholder={t('intake.findHint')} />
      </div>
      <ErrorBox error={found.error} />
      {found.isPending ? <Loading /> : (found.data?.items.length ?? 0) === 0 ? <Empty>{t('intake.noProcedure')}</Empty> : (
        <div className="table-wrap tall">
          <table>
            <thead>
              <tr>
                <th>{t('inbox.col.procedure')}</th><th>{t('intake.deadline')}</th><th>{t('intake.fees')}</th><th></th>
              </tr>
            </thead>
            <tbody>
              {found.data?.items.map((p) => {
                const refused = p.intake && !p.intake.receivable ? p.intake.reason : null;
                const whyId = `intake-why-${p.id}`;
                return (
                <tr key={p.id} className={p.id === chosen ? 'selected' : refused ? 'unavailable' : ''}>
                  <td>
                    <div>{pick(p.name)}</div>
                    <div className="row small muted">
                      <span>{p.code}</span>
                      <span>· {p.field}</span>
                      <Badge>{t(`intake.level.${p.level}`, { defaultValue: p.level })}</Badge>
                      <Badge tone="info">{t(`intake.online.${p.onlineLevel}`, { defaultValue: p.onlineLevel })}</Badge>
                      {p.nonGeographic && <Badge tone="ok">{t('intake.nonGeographic')}</Badge>}
                      {p.intake?.receivable && p.intake.forOther && <Badge tone="info">{t('intake.forOther')}</Badge>}
                    </div>
                    {refused && <div id={whyId} className="small warn-text">{t('intake.cannotReceive', { reason: pick(refused) })}</div>}
                  </td>
                  <td className="nowrap"><DeadlineText d={p.legalDeadline} /></td>
                  <td className="nowrap">{p.feeCount === 0 ? t('intake.noFee') : t('intake.feeCount', { count: p.feeCount })}</td>
                  <td>
                    <button type="button" className={p.id === chosen ? 'primary' : ''} aria-label={t('intake.chooseProcedure', { name: pick(p.name) })}
                      disabled={refused !== null} aria-describedby={refused ? whyId : undefined} onClick={() => onChoose(p)}>
                      {p.id === chosen ? t('intake.chosen') : t('intake.choose')}
                    </button>
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The chosen procedure's facts, shown above the later steps. */
export function ProcedureFacts({ detail }: { detail: ProcedureDetail }) {
  const { t } = useTranslation('desk');
  return (
    <div className="card facts">
      <strong>{pick(detail.name)}</strong>
      <div className="row small">
        <span className="muted">{detail.code}</span>
        <Badge>{t(`intake.level.${detail.level}`, { defaultValue: detail.level })}</Badge>
        <span>{t('intake.deadline')}: <strong><DeadlineText d={detail.legalDeadline} /></strong></span>
        <span>{t('intake.fees')}: {detail.fees.length === 0 ? t('intake.noFee') : detail.fees.map((f) => `${pick(f.name)} ${formatMoney(f.amount)}`).join('; ')}</span>
        {detail.nonGeographic && <Badge tone="ok">{t('intake.nonGeographic')}</Badge>}
      </div>
    </div>
  );
}

/** Step 2: tick each paper received. */
export function DocumentChecklist({ detail, received, onChange, annotate }: {
  detail: ProcedureDetail; received: Set<string>; onChange: (s: Set<string>) => void;
  /** Notes beside a paper (an electronic copy held, not required once data was found: features/papers). */
  annotate?: (d: ProcedureDetail['documents'][number]) => ReactNode;
}) {
  const { t } = useTranslation('desk');
  const missing = detail.documents.filter((d) => !d.optional && !d.conditional && !received.has(d.id)).length;
  const toggle = (id: string) => { const n = new Set(received); if (n.has(id)) n.delete(id); else n.add(id); onChange(n); };
  if (detail.documents.length === 0) return <Empty />;
  return (
    <fieldset className="checklist">
      <legend>{t('intake.documentsTitle')}</legend>
      <p className="muted">{t('intake.documentsHint')}</p>
      <ul>
        {detail.documents.map((d) => (
          <li key={d.id}>
            <label>
              <input type="checkbox" checked={received.has(d.id)} onChange={() => toggle(d.id)} />
              <span>
                {pick(d.name)}
                <span className="small muted"> — {t(`intake.form.${d.form}`, { defaultValue: d.form })}, {t('intake.copies', { count: d.count })}</span>
                {d.optional && <> <Badge>{t('intake.optional')}</Badge></>}
                {d.conditional && <> <Badge tone="info">{t('intake.conditional')}</Badge></>}
                {d.note && <span className="small muted block">{pick(d.note)}</span>}
              </span>
            </label>
            {annotate?.(d)}
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={() => onChange(new Set(detail.documents.map((d) => d.id)))}>{t('intake.tickAll')}</button>
        <span className={missing > 0 ? 'warn-text' : 'ok-text'} role="status">
          {missing > 0 ? t('intake.missingRequired', { count: missing }) : t('intake.allReceived')}
        </span>
      </div>
    </fieldset>
  );
}

export interface Routing {
  channel: Channel;
  receivingUnit: string;
  competentUnit: string;
  returnVia: 'desk' | 'post' | 'online';
}

/** Step 4: channel, the desk's unit, the competent unit (non-geographic procedures), how the result goes back. */
export function RoutingFields({ detail, units, value, onChange }: { detail: ProcedureDetail; units: string[]; value: Routing; onChange: (r: Routing) => void }) {
  const { t } = useTranslation('desk');
  const channels = allowedChannels(detail.channels);
  const otherCompetent = value.competentUnit !== '' && !units.includes(value.competentUnit);
  const all = usePublicUnits().data;
  // A non-geographic dossier goes to a unit of a competent kind (another commune or ward); a
  // procedure another kind of unit decides (residence: the police) is received for one of those.
  const receiving = all?.find((u) => u.code === value.receivingUnit);
  const kind = receiving?.kind;
  const choices = competentChoices(all ?? [], kind, detail.competentUnitKinds);
  const notMine = kind !== undefined && detail.competentUnitKinds !== undefined && !detail.competentUnitKinds.includes(kind);
  // Only a non-geographic dossier may be received for another unit (the engine's rule); otherwise the desk is told at once.
  const forOther = notMine && detail.nonGeographic;
  const fallback = forOther && receiving && !choices.some((u) => u.code === value.competentUnit) ? likelyCompetent(receiving.name, choices) : undefined;
  useEffect(() => { if (fallback) onChange({ ...value, competentUnit: fallback.code }); }, [fallback?.code]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="grid two">
      <fieldset>
        <legend>{t('intake.channel')}</legend>
        {(['direct', 'online', 'postal'] as const).map((c) => (
          <label key={c} className="radio">
            <input type="radio" name="channel" value={c} checked={value.channel === c} disabled={!channels.includes(c)}
              onChange={() => onChange({ ...value, channel: c })} />
            {t(`common:channel.${c}`)}
            {!channels.includes(c) && <span className="small muted"> ({t('intake.channelNotAllowed')})</span>}
          </label>
        ))}
      </fieldset>
      <div>
        <div className="field">
          <label htmlFor="intake-receiving">{t('intake.receivingUnit')}</label>
          <select id="intake-receiving" value={value.receivingUnit}
            onChange={(e) => onChange({ ...value, receivingUnit: e.target.value, competentUnit: detail.nonGeographic && otherCompetent ? value.competentUnit : e.target.value })}>
            {units.map((u) => <option key={u} value={u}>{unitLabel(all, u)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="intake-competent">{t('intake.competentUnit')}</label>
          {detail.nonGeographic ? (
            <>
              <select id="intake-competent" value={value.competentUnit} onChange={(e) => onChange({ ...value, competentUnit: e.target.value })}>
                {!choices.some((u) => u.code === value.competentUnit) && <option value={value.competentUnit}>{unitLabel(all, value.competentUnit)}</option>}
                {choices.map((u) => (
                  <option key={u.code} value={u.code}>{u.name}{u.code === value.receivingUnit ? ` — ${t('intake.sameAsReceiving')}` : ''}</option>
                ))}
              </select>
              <small className="muted">{t(forOther ? 'intake.competentOtherHint' : 'intake.competentHint')}</small>
            </>
          ) : (
            <input id="intake-competent" value={unitLabel(all, value.receivingUnit)} readOnly />
          )}
          {notMine && !forOther && (
            <small className="field-error" role="alert">
              {t('intake.notCompetent', { kinds: detail.competentUnitKinds!.map((k) => t(`designer:authoring.kinds.${k}`, { defaultValue: k })).join(t('intake.or')) })}
            </small>
          )}
        </div>
        <div className="field">
          <label htmlFor="intake-return">{t('intake.returnVia')}</label>
          <select id="intake-return" value={value.returnVia} onChange={(e) => onChange({ ...value, returnVia: e.target.value as Routing['returnVia'] })}>
            {(['desk', 'post', 'online'] as const).map((v) => <option key={v} value={v}>{t(`intake.via.${v}`)}</option>)}
          </select>
        </div>
      </div>
    </div>
  );
}
