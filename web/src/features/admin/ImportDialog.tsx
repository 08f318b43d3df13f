/** Importing a catalog file: all or nothing; shows what was imported and skipped, or why nothing was. */
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { ErrorBox, Field, Modal } from '../../ui';
import { namesById, parseCatalog, type ParsedCatalog } from './catalogFile';
import { idempotency } from './data';

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [parsed, setParsed] = useState<ParsedCatalog | null>(null);
  const run = useMutation({
    mutationFn: (body: Extract<ParsedCatalog, { ok: true }>['body']) =>
      unwrap(api.POST('/api/catalog/import', { params: { header: idempotency() }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['procedures'] }),
  });

  const names = parsed?.ok ? namesById(parsed.entries) : new Map<string, string>();
  /** A procedure as people know it, by name, with the id beside it for those who work with ids. */
  const label = (id: string) => {
    const name = names.get(id);
    return name ? <>{name} <span className="muted">(<code>{id}</code>)</span></> : <code>{id}</code>;
  };

  const choose = async (file: File | undefined) => {
    run.reset();
    setParsed(file ? parseCatalog(await file.text()) : null);
  };

  return (
    <Modal title={t('import.title')} open onClose={onClose} wide>
      <p className="muted">{t('import.explain')}</p>
      <Field label={t('import.file')}>
        {(id) => <input id={id} type="file" accept="application/json,.json" onChange={(e) => void choose(e.target.files?.[0])} />}
      </Field>
      {parsed && !parsed.ok && <div className="error-box" role="alert">{pick(parsed.message)}</div>}
      {parsed?.ok && !run.data && (
        <>
          <p>{t('import.summary', { procedures: parsed.count.procedures, versions: parsed.count.versions, published: parsed.count.byStatus.published, draft: parsed.count.byStatus.draft, retired: parsed.count.byStatus.retired })}</p>
          <ul className="diff-list" aria-label={t('import.contents')}>
            {parsed.entries.map((e, n) => (
              <li key={n}>
                {e.name ?? <span className="muted">{t('import.noName')}</span>} <span className="muted">(<code>{e.id}</code>)</span>
                {' — '}{e.versions.map((v) => `v${v.version ?? '?'} ${t(`status.${v.status}`, { defaultValue: v.status })}`).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorBox error={run.error} />
      {run.data && (
        <div role="status">
          <p className="notice">{t('import.done', { imported: run.data.imported.length, skipped: run.data.skipped.length })}</p>
          {run.data.imported.length > 0 && (
            <>
              <h3>{t('import.imported')}</h3>
              <ul className="diff-list">{run.data.imported.map((i) => <li key={`${i.id}@${i.version}`}>{label(i.id)} v{i.version} — {t(`status.${i.status}`, { defaultValue: i.status })}</li>)}</ul>
            </>
          )}
          {run.data.skipped.length > 0 && (
            <>
              <h3>{t('import.skipped')}</h3>
              <ul className="diff-list">{run.data.skipped.map((s) => <li key={`${s.id}@${s.version}`}>{label(s.id)} v{s.version}: {pick(s.reason)}</li>)}</ul>
            </>
          )}
          {run.data.notices.length > 0 && (
            <ul className="diff-list">{run.data.notices.map((n, i) => <li key={i}><code>{n.path}</code> {pick(n.message)}</li>)}</ul>
          )}
        </div>
      )}
      <div className="admin-buttons">
        <button type="button" onClick={onClose}>{t('common:action.close')}</button>
        {!run.data && (
          <button type="button" className="primary" disabled={!parsed?.ok || run.isPending} onClick={() => { if (parsed?.ok) run.mutate(parsed.body); }}>
            {t('import.run')}
          </button>
        )}
      </div>
    </Modal>
  );
}
