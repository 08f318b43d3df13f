/** The editor's head: name and version, status, import and export, save, publish or a new draft. */
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '@motcua/engine';
import { Badge } from '../../../ui';
import { pick } from '../../../i18n';
import { downloadJson, type VersionStatus } from '../api';

export function EditorHeader({ def, procedureId, version, status, dirty, notice, saving, creatingDraft, onImport, onSave, onPublish, onNewDraft }: {
  def: ProcedureDefinition; procedureId: string; version: number; status: VersionStatus; dirty: boolean; notice: string | null;
  saving: boolean; creatingDraft: boolean;
  onImport: (file: File) => void; onSave: () => void; onPublish: () => void; onNewDraft: () => void;
}) {
  const { t } = useTranslation('designer');
  const readOnly = status !== 'draft';
  return (
    <header className="editor-head">
      <Link to="/designer" className="back">← {t('editor.back')}</Link>
      <h1>{pick(def.catalog.name)} <small className="muted">{def.catalog.code} · {t('editor.version', { version })}</small></h1>
      <Badge tone={status === 'published' ? 'ok' : status === 'draft' ? 'info' : 'neutral'}>{t(`status.${status}`)}</Badge>
      {dirty ? <Badge tone="warn">● {t('editor.unsaved')}</Badge> : null}
      {notice && <span role="status" className="muted">{notice}</span>}
      <div className="head-actions">
        <label className="button">
          {t('editor.import')}
          <input type="file" accept="application/json,.json" className="sr-only" aria-label={t('editor.import')} disabled={readOnly}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) onImport(f); e.target.value = ''; }} />
        </label>
        <button type="button" onClick={() => downloadJson(def, `${procedureId}-v${version}.json`)}>{t('editor.export')}</button>
        {readOnly ? (
          <button type="button" className="primary" onClick={onNewDraft} disabled={creatingDraft}>{t('editor.newDraft')}</button>
        ) : (
          <>
            <button type="button" onClick={onSave} disabled={saving || !dirty} aria-keyshortcuts="Control+S" title="Ctrl+S">
              {saving ? t('editor.saving') : t('editor.save')}
            </button>
            <button type="button" className="primary" onClick={onPublish}>{t('editor.publish')}</button>
          </>
        )}
      </div>
    </header>
  );
}
