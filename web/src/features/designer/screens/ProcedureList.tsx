/** `/designer`: every procedure with its latest version and the version in force; create, open, import, export. */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '@motcua/engine';
import { ApiError } from '../../../api/client';
import { Badge, Empty, ErrorBox, Field, Loading, Modal, Page } from '../../../ui';
import { formatDate } from '../../../ui/format';
import {
  asDefinition, createDraft, createProcedure, downloadJson, getVersion, listProcedures, readJsonFile, saveDraft, type ProcedureItem,
} from '../api';
import { newProcedureTemplate, slugify } from '../model/template';

const statusTone = (s: string) => (s === 'published' ? 'ok' : s === 'draft' ? 'info' : 'neutral');

export function ProcedureList() {
  const { t } = useTranslation('designer');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['procedures', 'designer', q], queryFn: () => listProcedures(q.trim() || undefined) });

  const open = (id: string, version: number) => navigate(`/designer/${encodeURIComponent(id)}/${version}`);

  const draft = useMutation({
    mutationFn: (p: ProcedureItem) => createDraft(p.id),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      await open(saved.procedureId, saved.version);
    },
  });

  const exportJson = useMutation({
    mutationFn: async (p: ProcedureItem) => {
      const version = p.latest?.version ?? 1;
      const row = await getVersion(p.id, version);
      downloadJson(asDefinition(row.definition), `${p.id}-v${version}.json`);
    },
  });

  const importJson = useMutation({
    mutationFn: async (file: File) => {
      let parsed: unknown;
      try {
        parsed = await readJsonFile(file);
      } catch (err) {
        throw new Error(t('list.badJson', { error: err instanceof Error ? err.message : String(err) }), { cause: err });
      }
      const def = asDefinition(parsed);
      const existing = list.data?.items.find((p) => p.id === def.id);
      if (!existing) return createProcedure(def);
      // An existing procedure gets the file as its draft (a new one when it has none).
      const version = existing.draftVersion ?? (await createDraft(existing.id)).version;
      return saveDraft(existing.id, version, def as ProcedureDefinition);
    },
    onSuccess: async (saved) => {
      setNotice(t('list.importDone', { id: saved.procedureId, version: saved.version }));
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
    },
  });

  const error = draft.error ?? exportJson.error ?? importJson.error;

  return (
    <Page
      title={t('list.title')}
      actions={(
        <>
          <button type="button" className="primary" onClick={() => setCreating(true)}>{t('list.newProcedure')}</button>
          <label className="button">
            {importJson.isPending ? t('list.importing') : t('list.import')}
            <input
              type="file" accept="application/json,.json" className="sr-only" aria-label={t('list.import')}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) importJson.mutate(file);
                e.target.value = '';
              }}
            />
          </label>
        </>
      )}
    >
      <div className="row" style={{ marginBottom: 8 }}>
        <label htmlFor="designer-search" className="sr-only">{t('list.search')}</label>
        <input id="designer-search" type="search" placeholder={t('list.search')} value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      {notice && <p role="status" className="badge ok">{notice}</p>}
      <ErrorBox error={error} />
      {list.isLoading ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : (
        list.data && list.data.items.length === 0 ? <Empty>{t('list.empty')}</Empty> : (
          <table>
            <thead>
              <tr>
                <th>{t('list.code')}</th><th>{t('list.name')}</th><th>{t('list.field')}</th>
                <th>{t('list.latest')}</th><th>{t('list.inForce')}</th><th>{t('list.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data?.items.map((p) => (
                <tr key={p.id}>
                  <td><code>{p.code}</code></td>
                  <td>{p.name}<br /><small className="muted">{p.id}</small></td>
                  <td>{p.field}</td>
                  <td>
                    {p.latest ? (
                      <>
                        {t('list.versionShort', { version: p.latest.version })}{' '}
                        <Badge tone={statusTone(p.latest.status)}>{t(`status.${p.latest.status}`, { defaultValue: p.latest.status })}</Badge>
                      </>
                    ) : t('list.none')}
                  </td>
                  <td>
                    {p.inForce ? (
                      <>
                        {t('list.versionShort', { version: p.inForce.version })}
                        {p.inForce.effectiveFrom && <small className="muted"> {t('list.since', { date: formatDate(p.inForce.effectiveFrom) })}</small>}
                      </>
                    ) : t('list.none')}
                  </td>
                  <td>
                    <div className="row">
                      {p.draftVersion !== null ? (
                        <button type="button" className="primary" onClick={() => void open(p.id, p.draftVersion!)} aria-label={`${t('list.openDraft', { version: p.draftVersion })} – ${p.name}`}>
                          {t('list.openDraft', { version: p.draftVersion })}
                        </button>
                      ) : (
                        <>
                          {p.latest && (
                            <button type="button" onClick={() => void open(p.id, p.latest!.version)} aria-label={`${t('list.view', { version: p.latest.version })} – ${p.name}`}>
                              {t('list.view', { version: p.latest.version })}
                            </button>
                          )}
                          <button type="button" onClick={() => draft.mutate(p)} disabled={draft.isPending} aria-label={`${t('list.newDraft')} – ${p.name}`}>
                            {t('list.newDraft')}
                          </button>
                        </>
                      )}
                      <button type="button" onClick={() => exportJson.mutate(p)} aria-label={`${t('list.export')} – ${p.name}`}>{t('list.export')}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      <Modal title={t('create.title')} open={creating} onClose={() => setCreating(false)}>
        <CreateForm onCreated={(id, version) => { setCreating(false); void open(id, version); }} />
      </Modal>
    </Page>
  );
}

function CreateForm({ onCreated }: { onCreated: (id: string, version: number) => void }) {
  const { t } = useTranslation('designer');
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idTouched, setIdTouched] = useState(false);
  const effectiveId = idTouched ? id : slugify(name);
  const create = useMutation({
    mutationFn: () => createProcedure(newProcedureTemplate({ id: effectiveId, code: code.trim(), name: name.trim() })),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      onCreated(saved.procedureId, saved.version);
    },
  });
  const issueAt = (suffix: string) => (create.error instanceof ApiError
    ? create.error.issues.find((i) => i.path?.endsWith(suffix))?.message?.vi : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Field label={t('create.code')} hint={t('create.codeHint')} error={issueAt('/catalog/code')}>
        {(fid) => <input id={fid} value={code} onChange={(e) => setCode(e.target.value)} required autoFocus />}
      </Field>
      <Field label={t('create.name')} error={issueAt('/catalog/name/vi')}>
        {(fid) => <input id={fid} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field label={t('create.id')} hint={t('create.idHint')} error={issueAt('/id')}>
        {(fid) => <input id={fid} value={effectiveId} onChange={(e) => { setIdTouched(true); setId(e.target.value); }} required pattern="[a-z][a-zA-Z0-9_\-]*" />}
      </Field>
      <ErrorBox error={create.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={create.isPending}>{t('create.submit')}</button>
      </div>
    </form>
  );
}
