/** The dossier's history (append-only, hash-chained) with the chain check as a small badge. */
import { useTranslation } from 'react-i18next';
import { Badge, Empty, ErrorBox, Loading } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { pick } from '../../i18n';
import type { Bilingual } from '../../api/client';
import { useEvents, useVerify } from './api';
import { fieldOrder, showValue, titleOf } from './dataRows';
import { tabError } from '../../app/sight';
import type { DossierView } from './types';

export function VerifyBadge({ id }: { id: string }) {
  const { t } = useTranslation('desk');
  const verify = useVerify(id);
  if (!verify.data) return null;
  const ok = verify.data.ok && verify.data.matchesHead;
  return <Badge tone={ok ? 'ok' : 'bad'} title={verify.data.head}>{ok ? t('dossier.verified') : t('dossier.verifyFailed')}</Badge>;
}

type Json = { [key: string]: unknown };
const fieldOf = (form: unknown, key: string): unknown => {
  const props = typeof form === 'object' && form !== null ? (form as Json)['properties'] : undefined;
  return typeof props === 'object' && props !== null ? (props as Json)[key] : undefined;
};

/** `form` is the procedure's application form: inputs that are data fields read with its titles and labels. */
/** `outOfSight`: the dossier left the officer's sight (the page says so): the history last read stays, its refusal is not repeated. */
export function Timeline({ dossier, stepNames, form, outOfSight = false }: { dossier: DossierView; stepNames: Map<string, Bilingual> | undefined; form?: unknown; outOfSight?: boolean }) {
  const { t, i18n } = useTranslation('desk');
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const words = { yes: t('dossier.yes'), no: t('dossier.no') };
  // An input reads through the action's own form first, then the application form (a field it repeats).
  const nodeOf = (own: unknown, k: string): unknown => fieldOf(own, k) ?? fieldOf(form, k);
  const show = (own: unknown, k: string, v: unknown): string => (v === null || v === undefined || v === '' ? '' : showValue(nodeOf(own, k), v, lang, words));
  const word = (own: unknown, k: string): string => titleOf(fieldOf(own, k), lang) || t(`dossier.inputWord.${k}`, { defaultValue: '' }) || titleOf(fieldOf(form, k), lang) || k;
  const events = useEvents(dossier.id);
  // Inputs that are form fields follow the form's order (x-order); the others keep theirs, after them.
  const rankIn = (own: unknown) => {
    const order = [...fieldOrder(own), ...fieldOrder(form)];
    return (k: string): number => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
  };
  const step = (id: string | undefined) => (id ? pick(stepNames?.get(id)) || id : '');

  const error = tabError(events.error, outOfSight);
  if (events.isPending) return <Loading />;
  if (error) return <ErrorBox error={error} onRetry={() => void events.refetch()} />;
  // Out of sight before the history was ever read: nothing to show, and the notice says why.
  if (!events.data) return null;
  if (!events.data.length) return <Empty />;
  return (
    <ol className="timeline">
      {events.data.map((e) => {
        const p = e.payload;
        const isStart = e.type === 'dossier.started';
        const migrated = e.type === 'dossier.migrated' ? (p as { fromVersion?: number; toVersion?: number }) : null;
        const label = pick(e.label);
        const own = e.inputForm;
        const rank = rankIn(own);
        const inputs = Object.entries(p.inputs ?? {}).filter(([k, v]) => show(own, k, v) !== '').sort(([a], [b]) => rank(a) - rank(b));
        const system = p.actor?.kind === 'system';
        return (
          <li key={e.seq}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <div>
              <strong>{isStart ? t('dossier.started') : migrated ? t('dossier.migrated', { from: migrated.fromVersion, to: migrated.toVersion }) : label || t(`dossier.actionWord.${p.action ?? ''}`, { defaultValue: p.action ?? '' })}</strong>
              {!isStart && !migrated && <span className="muted"> · {step(p.step === '*' ? p.from?.[0] : p.step)}</span>}
              <span className="muted"> {t('dossier.by', { name: system ? t('dossier.system') : e.actor.name ?? e.actor.id })}</span>
              {p.onBehalfOf && <span className="behalf"> · {t('dossier.onBehalfOf', { name: [p.onBehalfOf.title, p.onBehalfOf.name].filter(Boolean).join(' ') })}</span>}
              {p.capacity && p.capacity.lines.length > 0 && (
                <div className="small capacity">{t('dossier.capacity', { lines: p.capacity.lines.join(' / ') })}</div>
              )}
              {!isStart && p.from && p.to && (p.from.join() !== p.to.join()) && (
                <div className="small muted">{t('dossier.moved', { from: p.from.map(step).join(', ') || '—', to: p.to.map(step).join(', ') || '—' })}</div>
              )}
              {(e.coordination ?? []).map((c, n) => (
                <div key={n} className="small coordination">
                  <strong>{t(c.kind === 'sent' ? 'dossier.coordinationSent' : 'dossier.coordinationAnswered', { unit: c.unit.name ?? c.unit.code })}</strong>
                  {' '}<span className="muted">{c.procedure.name ? pick(c.procedure.name) : c.procedure.id}</span>
                  {c.outputs && c.outputs.length > 0 && (
                    <dl className="inputs">
                      {c.outputs.map((o) => <div key={o.name}><dt>{o.title ? pick(o.title) : o.name}</dt><dd>{typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}</dd></div>)}
                    </dl>
                  )}
                </div>
              ))}
              {inputs.length > 0 && (
                <dl className="inputs small">
                  {inputs.map(([k, v]) => <div key={k}><dt>{word(own, k)}</dt><dd>{show(own, k, v)}</dd></div>)}
                </dl>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
