/** Catalog publishing: procedures and their versions; publish a draft from a date, retire, export and import. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, download, unwrap, type paths } from '../../api/client';
import { Badge, Empty, ErrorBox, Field, Loading, Page, useNow } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { Confirm } from './Confirm';
import { PublishDialog } from './PublishDialog';
import { MigrateDialog } from './MigrateDialog';
import { ImportDialog } from './ImportDialog';
import { idempotency } from './data';
import { retireImpact, type VersionState } from './retire';

type Detail = paths['/api/procedures/{id}']['get']['responses'][200]['content']['application/json'];
type Version = Detail['versions'][number];

export const statusTone = (s: string): 'ok' | 'warn' | 'neutral' => (s === 'published' ? 'ok' : s === 'draft' ? 'warn' : 'neutral');

export function CatalogScreen() {
  const { t } = useTranslation('admin');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ['procedures', 'admin-list', q],
    queryFn: () => unwrap(api.GET('/api/procedures', { params: { query: q ? { q } : {} } })),
  });

  const exportAll = async () => {
    setExportError(null);
    try {
      await download('/api/catalog/export', 'motcua-catalog.json');
    } catch (e) {
      setExportError(e);
    }
  };

  return (
    <Page
      title={t('catalog.title')}
      actions={(
        <>
          <button type="button" onClick={() => void exportAll()}>{t('catalog.export')}</button>
          <button type="button" onClick={() => setImporting(true)}>{t('catalog.import')}</button>
        </>
      )}
    >
      <ErrorBox error={exportError} />
      <div className="admin-split">
        <div>
          <div className="admin-toolbar">
            <Field label={t('catalog.search')}>{(id) => <input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
          </div>
          {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : list.data.items.length === 0 ? <Empty /> : (
            <div className="admin-table-wrap">
              <table>
                <caption className="sr-only">{t('catalog.title')}</caption>
                <thead>
                  <tr><th>{t('catalog.code')}</th><th>{t('catalog.name')}</th><th>{t('catalog.inForce')}</th><th>{t('catalog.draft')}</th><th>{t('catalog.versions')}</th></tr>
                </thead>
                <tbody>
                  {list.data.items.map((p) => (
                    <tr key={p.id} className={selected === p.id ? 'selected' : undefined}>
                      <td><code>{p.code}</code></td>
                      <td>
                        <button type="button" className="link" onClick={() => setSelected(p.id)} aria-pressed={selected === p.id}>{p.name}</button>
                        <div className="muted">{p.field}</div>
                      </td>
                      <td>{p.inForce ? <>v{p.inForce.version} <span className="muted">{t('catalog.since', { date: formatDateTime(p.inForce.effectiveFrom) })}</span></> : <Badge tone="warn">{t('catalog.none')}</Badge>}</td>
                      <td>{p.draftVersion !== null ? <Badge tone="warn">v{p.draftVersion}</Badge> : '—'}</td>
                      <td className="num">{p.versionCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>{selected ? <ProcedureVersions id={selected} /> : <div className="card muted">{t('catalog.pick')}</div>}</div>
      </div>
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </Page>
  );
}

function ProcedureVersions({ id }: { id: string }) {
  const { t } = useTranslation('admin');
  const queryClient = useQueryClient();
  const [publishing, setPublishing] = useState<Version | null>(null);
  const [migrating, setMigrating] = useState<{ from: number; to: number } | null>(null);
  const [retiring, setRetiring] = useState<Version | null>(null);
  const [understood, setUnderstood] = useState(false);
  const now = useNow();
  const detail = useQuery({
    queryKey: ['procedures', 'admin-detail', id],
    queryFn: () => unwrap(api.GET('/api/procedures/{id}', { params: { path: { id } } })),
  });
  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorBox error={detail.error} onRetry={() => void detail.refetch()} />;
  const p = detail.data;
  const versions = [...p.versions].sort((a, b) => b.version - a.version);
  return (
    <section className="card" aria-labelledby="versions-head">
      <h2 id="versions-head" style={{ fontSize: 16, marginTop: 0 }}>{p.name} <code className="muted">{p.code}</code></h2>
      <table>
        <caption className="sr-only">{t('catalog.versionsOf', { name: p.name })}</caption>
        <thead><tr><th>{t('catalog.version')}</th><th>{t('catalog.status')}</th><th>{t('catalog.effective')}</th><th><span className="sr-only">{t('catalog.actions')}</span></th></tr></thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>v{v.version}{p.inForce?.version === v.version && <> <Badge tone="info">{t('catalog.current')}</Badge></>}</td>
              <td>
                <Badge tone={statusTone(v.status)}>{t(`status.${v.status}`)}</Badge>
                {v.status === 'published' && v.effectiveFrom && new Date(v.effectiveFrom) > now && <> <Badge tone="info">{t('catalog.scheduled')}</Badge></>}
              </td>
              <td>
                {v.effectiveFrom ? <>{t('catalog.from')} {formatDateTime(v.effectiveFrom)}</> : '—'}
                {v.effectiveTo && <div>{t('catalog.to')} {formatDateTime(v.effectiveTo)}</div>}
              </td>
              <td>
                <div className="admin-actions">
                  {v.status === 'draft' && (
                    <button type="button" className="primary" onClick={() => setPublishing(v)} aria-label={t('catalog.publishVersion', { version: v.version })}>{t('catalog.publish')}</button>
                  )}
                  {v.status === 'published' && (() => {
                    // The newest older version that still has open dossiers (else the one just before).
                    const older = versions.filter((o) => o.version < v.version && o.status !== 'draft');
                    const from = older.find((o) => (o.openDossiers ?? 0) > 0) ?? older[0];
                    return from && (
                      <button type="button" onClick={() => setMigrating({ from: from.version, to: v.version })}>
                        {t('migrate.openFrom', { from: from.version, to: v.version })}
                      </button>
                    );
                  })()}
                  {v.status === 'published' && (
                    <button type="button" className="danger" onClick={() => setRetiring(v)} aria-label={t('catalog.retireVersion', { version: v.version })}>{t('catalog.retire')}</button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {migrating && (
        <MigrateDialog procedureId={p.id} from={migrating.from} to={migrating.to} onClose={() => setMigrating(null)} />
      )}
      {publishing && (
        <PublishDialog procedure={p} version={publishing.version} inForce={p.inForce?.version ?? null} onClose={() => setPublishing(null)} />
      )}
      {retiring && (
        <Confirm
          title={t('catalog.retireTitle', { version: retiring.version })}
          confirmLabel={t('catalog.retire')}
          disabled={retireImpact(p.versions, retiring.version, now).noSuccessor && !understood}
          onClose={() => { setRetiring(null); setUnderstood(false); }}
          onConfirm={async () => {
            await unwrap(api.POST('/api/procedures/{id}/versions/{version}/retire', { params: { path: { id, version: retiring.version }, header: idempotency() } }));
            await queryClient.invalidateQueries({ queryKey: ['procedures'] });
          }}
        >
          <RetireText procedure={p} version={retiring.version} now={now} understood={understood} setUnderstood={setUnderstood} />
        </Confirm>
      )}
    </section>
  );
}

/** What retiring does: open dossiers continue on the version; with no successor the procedure stops receiving, acknowledged explicitly. */
function RetireText({ procedure, version, now, understood, setUnderstood }: {
  procedure: { name: string; versions: VersionState[] }; version: number; now: Date; understood: boolean; setUnderstood: (on: boolean) => void;
}) {
  const { t } = useTranslation('admin');
  const impact = retireImpact(procedure.versions, version, now);
  return (
    <>
      <p>{t('catalog.retireText', { name: procedure.name, version })}</p>
      <p data-testid="retire-open">{t('catalog.retireOpen', { count: impact.openDossiers, version })}</p>
      {impact.noSuccessor && (
        <>
          <p className="field-error" role="alert">{t('catalog.retireNoSuccessor', { name: procedure.name })}</p>
          <label><input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> {t('catalog.retireUnderstood')}</label>
        </>
      )}
    </>
  );
}
