/**
 * Figures of other systems (a ministry's central system, a city's system) for a unit and period,
 * uploaded as a file in the layout of form II.06a (XLSX or CSV, as the dashboard exports it):
 * the unit's report then shows each source as a row of its own, in the total. A bad file lists
 * every fault with its row and column; an import already stored for the same source, unit and
 * period is replaced only when the administrator says so.
 */
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Empty, ErrorBox, Field, Loading, Page } from '../../ui';
import { Confirm } from './Confirm';
import { useUnits } from './data';
import { issueAt, issuesByPath } from './issues';
import { treeRows, unitLabel } from './unitTree';

const SOURCES = [
  { code: 'bo-chuyen-nganh', vi: 'Trên Hệ thống tập trung của bộ' },
  { code: 'he-thong-thanh-pho', vi: 'Hệ thống của thành phố' },
];

const importsKey = (unit: string) => ['admin', 'stats-imports', unit] as const;

/** The file's bytes as base64, for the JSON body. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function StatisticsScreen() {
  const { t } = useTranslation('admin');
  const units = useUnits();
  const queryClient = useQueryClient();
  const [unit, setUnit] = useState('');
  const [sourceCode, setSourceCode] = useState(SOURCES[0]!.code);
  const [sourceName, setSourceName] = useState(SOURCES[0]!.vi);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [removing, setRemoving] = useState<{ id: number; label: string } | null>(null);
  const chosen = unit || units.data?.[0]?.code || '';

  const list = useQuery({
    queryKey: importsKey(chosen),
    enabled: chosen !== '',
    queryFn: async () => unwrap(api.GET('/api/stats/imports', { params: { query: { unit: chosen } } })),
  });
  const upload = useMutation({
    mutationFn: async () => unwrap(api.POST('/api/stats/imports', {
      body: {
        unit: chosen, from, to, source: { code: sourceCode.trim(), name: sourceName.trim() },
        ...(file ? { file: { name: file.name, content: await base64Of(file) } } : {}),
        ...(replace ? { replace: true } : {}),
      },
    })),
    onSuccess: async () => {
      setReplace(false);
      await queryClient.invalidateQueries({ queryKey: importsKey(chosen) });
    },
  });
  const issues = issuesByPath(upload.error);
  const fileIssues = upload.error instanceof ApiError ? upload.error.issues.filter((i) => i.path?.startsWith('/file')) : [];
  const exists = upload.error instanceof ApiError && upload.error.code === 'IMPORT_EXISTS';

  return (
    <Page title={t('statistics.title')}>
      <p className="muted">{t('statistics.intro')}</p>
      <form className="admin-form-grid" onSubmit={(e) => { e.preventDefault(); upload.mutate(); }}>
        <Field label={t('statistics.unit')} error={issueAt(issues, '/unit')}>
          {(id) => (
            <select id={id} value={chosen} onChange={(e) => setUnit(e.target.value)}>
              {treeRows(units.data ?? []).map(({ unit: u, depth }) => <option key={u.code} value={u.code}>{'\u00a0\u00a0'.repeat(depth)}{unitLabel(u, u.code)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('statistics.source')} hint={t('statistics.sourceHint')} error={issueAt(issues, '/source/name')}>
          {(id) => (
            <input id={id} list="stats-sources" value={sourceName} required maxLength={200} onChange={(e) => {
              setSourceName(e.target.value);
              const known = SOURCES.find((s) => s.vi === e.target.value);
              if (known) setSourceCode(known.code);
            }} />
          )}
        </Field>
        <datalist id="stats-sources">{SOURCES.map((s) => <option key={s.code} value={s.vi} />)}</datalist>
        <Field label={t('statistics.sourceCode')} hint={t('statistics.sourceCodeHint')} error={issueAt(issues, '/source/code')}>
          {(id) => <input id={id} value={sourceCode} required pattern="[a-z0-9][a-z0-9\-]{1,49}" onChange={(e) => setSourceCode(e.target.value)} />}
        </Field>
        <Field label={t('statistics.from')} error={issueAt(issues, '/from')}>
          {(id) => <input id={id} type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label={t('statistics.to')} error={issueAt(issues, '/to')}>
          {(id) => <input id={id} type="date" value={to} required onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <Field label={t('statistics.file')} hint={t('statistics.fileHint')}>
          {(id) => <input id={id} type="file" accept=".xlsx,.csv" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        {exists && (
          <label className="checkbox">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> {t('statistics.replace')}
          </label>
        )}
        <div>
          <button type="submit" className="primary" disabled={upload.isPending || !file}>{t('statistics.upload')}</button>
          {upload.isSuccess && <span role="status" className="muted"> {upload.data.replaced ? t('statistics.replaced') : t('statistics.stored')}</span>}
        </div>
      </form>
      <ErrorBox error={upload.error} />
      {fileIssues.length > 1 && (
        <ul className="error-list" aria-label={t('statistics.faults')}>
          {fileIssues.map((i) => <li key={`${i.path}-${pick(i.message)}`}>{pick(i.message)}</li>)}
        </ul>
      )}

      <h2>{t('statistics.stored')}</h2>
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} /> : list.data.length === 0 ? <Empty /> : (
        <div className="admin-table-wrap">
          <table>
            <caption className="sr-only">{t('statistics.stored')}</caption>
            <thead>
              <tr><th>{t('statistics.source')}</th><th>{t('statistics.period')}</th><th>{t('statistics.received')}</th><th>{t('statistics.origin')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr>
            </thead>
            <tbody>
              {list.data.map((r) => {
                const f = r.figures as { [k: string]: number };
                const received = (f['carriedOver'] ?? 0) + (f['online'] ?? 0) + (f['directPostal'] ?? 0);
                return (
                  <tr key={r.id}>
                    <td>{r.sourceName} <code>{r.source}</code></td>
                    <td>{r.from.split('-').reverse().join('/')} – {r.to.split('-').reverse().join('/')}</td>
                    <td>{received.toLocaleString('vi-VN')}</td>
                    <td>{r.origin.name ?? t('statistics.api')}</td>
                    <td><button type="button" className="danger" onClick={() => setRemoving({ id: r.id, label: r.sourceName })}>{t('common:action.delete')}</button></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {removing && (
        <Confirm
          title={t('statistics.removeTitle', { name: removing.label })}
          confirmLabel={t('common:action.delete')}
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/stats/imports/{id}', { params: { path: { id: removing.id } } }));
            await queryClient.invalidateQueries({ queryKey: importsKey(chosen) });
          }}
        >
          <p>{t('statistics.removeText')}</p>
        </Confirm>
      )}
    </Page>
  );
}
