/** Submitting a procedure online: the form from its JSON Schema (the desk's SchemaForm), the papers, the desk, the fees; a draft saved on the server. */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { pick } from '../../i18n';
import { ErrorBox, Loading, Page } from '../../ui';
import { formatMoney } from '../../ui/format';
import { SchemaForm } from '../desk/SchemaForm';
import { call, type CitizenDossier, type Draft, type OnlineInfo } from './api';
import { SignIn, useCitizen } from './CitizenHome';

type Data = { [k: string]: unknown };

export function SubmitPage() {
  const { t } = useTranslation('citizen');
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const { me } = useCitizen();
  const [info, setInfo] = useState<OnlineInfo | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [data, setData] = useState<Data>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [paperErrors, setPaperErrors] = useState<{ [paper: string]: unknown }>({});
  const [uploading, setUploading] = useState<string | null>(null);
  // One key per page: a double click or a retry after a lost answer makes one dossier.
  const key = useMemo(() => crypto.randomUUID(), []);

  useEffect(() => {
    call<OnlineInfo>(`/api/public/procedures/${encodeURIComponent(id)}/online`).then(setInfo, setError);
  }, [id]);
  useEffect(() => {
    if (!me || !info) return;
    const existing = search.get('draft');
    // Coming back to a procedure resumes its latest draft: a new draft on every visit would soon
    // fill the twenty a citizen may keep (TOO_MANY_DRAFTS), with no way to tell them apart.
    const load = existing
      ? call<Draft>(`/api/me/drafts/${encodeURIComponent(existing)}`)
      : call<Draft[]>('/api/me/drafts').then((all) => {
        const latest = all.filter((d) => d.procedureId === id).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
        return latest ?? call<Draft>('/api/me/drafts', { method: 'POST', body: JSON.stringify({ procedureId: id, ...(info.desks.length === 1 ? { receivingUnit: info.desks[0]!.code } : {}) }) });
      });
    load.then((d) => {
      setDraft(d);
      setData(d.data);
      if (!existing) setSearch({ draft: d.id }, { replace: true });
    }, setError);
  }, [me, info, id, search, setSearch]);

  if (error && !info) return <Page title={t('submitOnline')}><ErrorBox error={error} /></Page>;
  if (me === undefined || !info) return <Loading />;
  if (me === null) return <Page title={t('submitOnline')}><SignIn next={`/cong-dan/nop/${id}`} /></Page>;
  if (!draft) return <Loading />;

  const save = async (extra: Partial<Draft> = {}) => {
    const d = await call<Draft>(`/api/me/drafts/${draft.id}`, { method: 'PATCH', body: JSON.stringify({ data, ...extra }) });
    setDraft(d);
    return d;
  };
  // A refused file is told under its paper, and the picker is emptied: it must not look uploaded.
  const upload = async (paper: string, input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setPaperErrors(({ [paper]: _, ...rest }) => rest);
    setUploading(paper);
    const form = new FormData();
    form.set('paper', paper);
    form.set('file', file);
    try {
      await call(`/api/me/drafts/${draft.id}/files`, { method: 'POST', body: form });
      setDraft(await call<Draft>(`/api/me/drafts/${draft.id}`));
    } catch (e) {
      setPaperErrors((all) => ({ ...all, [paper]: e }));
    } finally {
      input.value = '';
      setUploading(null);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await save();
      const d = await call<CitizenDossier>(`/api/me/drafts/${draft.id}/submit`, { method: 'POST', body: '{}', headers: { 'Idempotency-Key': key } });
      void navigate(`/cong-dan/ho-so/${encodeURIComponent(d.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const scope = { data };
  const asked = info.papers.filter((p) => !p.when || holdsSimple(p.when, scope));
  return (
    <Page title={`${t('submitOnline')}: ${pick(info.name)}`}>
      {error ? <ErrorBox error={error} /> : null}
      {note ? <p role="status">{note}</p> : null}
      <section className="card" aria-labelledby="c-desk">
        <h2 id="c-desk">{t('desk')}</h2>
        <select aria-label={t('desk')} value={draft.receivingUnit ?? ''} onChange={(e) => void save({ receivingUnit: e.target.value || null })}>
          <option value="">{t('chooseDesk')}</option>
          {info.desks.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
        </select>
      </section>
      <section className="card" aria-labelledby="c-papers">
        <h2 id="c-papers">{t('papers')}</h2>
        <ul>
          {asked.map((p) => {
            const files = draft.files.filter((f) => f.paper === p.id);
            return (
              <li key={p.id}>
                <label>
                  {pick(p.name)} {p.optional ? '' : `(${t('required')})`}{' '}
                  <input type="file" accept="application/pdf,image/jpeg,image/png" data-paper={p.id} disabled={uploading === p.id}
                    onChange={(e) => void upload(p.id, e.target)} />
                </label>
                {uploading === p.id && <span role="status"> {t('uploading')}</span>}
                {files.length > 0 && <span> ✓ {t('uploaded')}: {files.map((f) => f.name).join(', ')}</span>}
                {paperErrors[p.id] ? <ErrorBox error={paperErrors[p.id]} /> : null}
              </li>
            );
          })}
        </ul>
      </section>
      <section className="card" aria-labelledby="c-fees">
        <h2 id="c-fees">{t('fees')}</h2>
        {info.fees.length === 0 ? <p>{t('free')}</p> : <ul>{info.fees.map((f) => <li key={f.id}>{pick(f.name)}: {formatMoney(f.amount)} {f.note ? `— ${pick(f.note)}` : ''}</li>)}</ul>}
        {info.inPerson.length > 0 && <><h3>{t('inPerson')}</h3><ul>{info.inPerson.map((x, i) => <li key={i}>{pick(x)}</li>)}</ul></>}
      </section>
      <section className="card" aria-labelledby="c-form">
        <h2 id="c-form">{t('form')}</h2>
        <SchemaForm schema={info.data ?? { type: 'object' }} formData={data} onChange={setData} onSubmit={() => void submit()} idPrefix="citizen">
          <div className="row">
            <button type="button" onClick={() => void save().then((d) => setNote(t('saved', { date: new Date(d.expiresAt).toLocaleDateString('vi-VN') })), setError)}>{t('saveDraft')}</button>
            <button type="submit" className="primary" disabled={busy}>{t('submit')}</button>
          </div>
        </SchemaForm>
      </section>
    </Page>
  );
}

/** The catalog's conditions are simple equality rules on the form ({"==":[{"var":"data.x"}, v]}); anything else: shown. */
function holdsSimple(rule: unknown, scope: { data: Data }): boolean {
  const eq = (rule as { '=='?: [{ var?: string }, unknown] })['=='];
  if (eq && typeof eq[0]?.var === 'string') return scope.data[eq[0].var.replace(/^data\./, '')] === eq[1];
  return true;
}

