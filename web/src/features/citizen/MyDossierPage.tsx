/** One of the citizen's dossiers: status, timeline in words, papers asked for, slips, and the actions open to them. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { pick } from '../../i18n';
import { ApiError } from '../../api/client';
import { Badge, ErrorBox, Loading, Modal, Page } from '../../ui';
import { isUnder, labelsAt } from '../../ui/labels';
import { formatDateTime } from '../../ui/format';
import { call, type CitizenDossier } from './api';
import { SignIn, useCitizen } from './CitizenHome';

export function MyDossierPage() {
  const { t } = useTranslation('citizen');
  const { id = '' } = useParams();
  const { me } = useCitizen();
  const [d, setD] = useState<CitizenDossier | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const load = useCallback(() => call<CitizenDossier>(`/api/me/dossiers/${encodeURIComponent(id)}`).then(setD, setError), [id]);
  useEffect(() => { if (me) void load(); }, [me, load]);
  if (me === undefined) return <Loading />;
  if (me === null) return <Page title={t('mine')}><SignIn next={`/cong-dan/ho-so/${id}`} /></Page>;
  if (!d) return error ? <Page title={t('mine')}><ErrorBox error={error} /></Page> : <Loading />;
  const act = async (step: string, action: string, inputs: object = {}) => {
    setError(null);
    try {
      setD(await call<CitizenDossier>(`/api/me/dossiers/${encodeURIComponent(d.id)}/actions`, { method: 'POST', body: JSON.stringify({ step, action, inputs }) }));
    } catch (e) { setError(e); }
  };
  const upload = async (file: File) => {
    const form = new FormData();
    form.set('file', file);
    try {
      await call(`/api/me/dossiers/${encodeURIComponent(d.id)}/documents`, { method: 'POST', body: form });
      await load();
    } catch (e) { setError(e); }
  };
  const supplement = d.actions.find((a) => a.action === 'submitSupplement');
  const withdraw = d.actions.find((a) => a.intent === 'withdraw');
  // The withdrawal's reason refused (too long): said beside it too, and named in words in the box.
  const reasonIssue = error instanceof ApiError ? error.issues.find((i) => isUnder(i.path, '/inputs/reason')) : undefined;
  const labelOf = labelsAt({ '/inputs/reason': t('withdrawReason') });
  return (
    <Page title={`${t('mine')}: ${d.id}`} actions={<Link to="/cong-dan/ho-so" className="button">{t('back')}</Link>}>
      {error ? <ErrorBox error={error} labelOf={labelOf} /> : null}
      <section className="card">
        <h2>{pick(d.procedure.name)}</h2>
        <p>{t('status')}: <Badge tone={d.portalStatus === 3 ? 'warn' : d.portalStatus === 4 ? 'ok' : 'info'}>{pick(d.statusText)}</Badge></p>
        <p>{d.receivingUnit.name}</p>
        {d.dueAt && <p>{t('dueAt')}: {formatDateTime(d.dueAt)}</p>}
      </section>
      {d.papersAsked.length > 0 && d.status === 'waiting-citizen' && (
        <section className="card" aria-labelledby="c-asked">
          <h2 id="c-asked">{t('papersAsked')}</h2>
          <ul>{d.papersAsked.map((p, i) => <li key={i}>{p.reason} {p.documents.length ? `(${p.documents.join(', ')})` : ''}</li>)}</ul>
          <label>{t('upload')} <input type="file" accept="application/pdf,image/jpeg,image/png" onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); }} /></label>
          {supplement && <p><button type="button" className="primary" onClick={() => void act(supplement.step, supplement.action)}>{t('handIn')}</button></p>}
        </section>
      )}
      <section className="card" aria-labelledby="c-time">
        <h2 id="c-time">{t('timeline')}</h2>
        <ol className="citizen-timeline">{d.timeline.map((e, i) => <li key={i}><time dateTime={e.at}>{formatDateTime(e.at)}</time> — {pick(e.text)}</li>)}</ol>
      </section>
      {d.slips.length > 0 && (
        <section className="card" aria-labelledby="c-slips">
          <h2 id="c-slips">{t('slips')}</h2>
          <ul>{d.slips.map((s) => <li key={s.kind}><a href={s.url} target="_blank" rel="noreferrer">{pick(s.title)}</a></li>)}</ul>
        </section>
      )}
      <Channels id={d.id} />
      <section className="card" aria-labelledby="c-docs">
        <h2 id="c-docs">{t('documents')}</h2>
        <ul>{d.documents.map((f) => <li key={f.id}><a href={f.url}>{f.name}</a></li>)}</ul>
      </section>
      {(withdraw || d.payment || d.mayRate) && (
        <section className="card" aria-labelledby="c-act">
          <h2 id="c-act">{t('actions')}</h2>
          {d.payment && <p><a className="button primary" href={d.payment.href}>{t('pay', { amount: d.payment.amount.toLocaleString('vi-VN') })}</a></p>}
          {withdraw && (
            // Withdrawing ends the dossier: it takes a reason (the button waits for one) and a confirmation.
            <form className="row" onSubmit={(e) => { e.preventDefault(); setConfirming(true); }}>
              <label>{t('withdrawReason')} <input value={reason} required onChange={(e) => setReason(e.target.value)}
                aria-invalid={reasonIssue !== undefined} aria-describedby={reasonIssue ? 'c-withdraw-error' : undefined} /></label>{' '}
              <button type="submit" disabled={reason.trim() === ''}>{t('withdraw')}</button>
              {reasonIssue && <small id="c-withdraw-error" className="field-error" role="alert">{pick(reasonIssue.message)}</small>}
            </form>
          )}
          {withdraw && (
            <Modal title={t('withdraw')} open={confirming} onClose={() => setConfirming(false)}>
              <p>{t('withdrawConfirm', { code: d.id })}</p>
              <div className="row">
                <button type="button" className="danger" onClick={() => { setConfirming(false); void act(withdraw.step, withdraw.action, { reason: reason.trim() }); }}>{t('withdraw')}</button>
                <button type="button" onClick={() => setConfirming(false)}>{t('common:action.cancel')}</button>
              </div>
            </Modal>
          )}
          {d.mayRate && <p><Link to={`/public/lookup/${encodeURIComponent(d.id)}`}>{t('rate')}</Link></p>}
        </section>
      )}
    </Page>
  );
}

const CHANNELS = ['email', 'sms', 'zalo'] as const;

/**
 * How the signed-in owner is told of the dossier: their session is the proof (the public page
 * needs the receipt's key). The boxes start from what the server says is in force — the choice
 * saved, else the default it uses — never from a guess: a citizen who chose none sees none.
 */
function Channels({ id }: { id: string }) {
  const { t } = useTranslation('payments');
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setChosen(null);
    call<{ channels: string[] }>(`/api/me/dossiers/${encodeURIComponent(id)}/notifications`)
      .then((r) => { if (live) setChosen(r.channels); }, (e: unknown) => { if (live) setError(e); });
    return () => { live = false; };
  }, [id]);
  const save = async () => {
    setError(null);
    try {
      const r = await call<{ channels: string[] }>(`/api/me/dossiers/${encodeURIComponent(id)}/notifications`, { method: 'PUT', body: JSON.stringify({ channels: chosen ?? [] }) });
      setSaved(r.channels);
    } catch (e) { setError(e); }
  };
  return (
    <form className="card" aria-labelledby="c-notify" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h2 id="c-notify">{t('pay.notify')}</h2>
      {CHANNELS.map((c) => (
        <label key={c} className="check">
          <input
            type="checkbox" disabled={chosen === null} checked={chosen?.includes(c) ?? false}
            onChange={(e) => setChosen((now) => (e.target.checked ? [...(now ?? []), c] : (now ?? []).filter((x) => x !== c)))}
          /> {t(`pay.${c}`)}
        </label>
      ))}
      <button type="submit" disabled={chosen === null}>{t('pay.saveChannels')}</button>
      {saved && <p role="status">{t('pay.saved', { channels: saved.map((c) => t(`pay.${c}`)).join(', ') })}</p>}
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}
