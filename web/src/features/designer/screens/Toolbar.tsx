/** The drawing toolbar: add a step per kind (with its digit shortcut), undo/redo with what they will do, edit and view tools. */
import { useTranslation } from 'react-i18next';
import type { StepKind } from '@motcua/engine';
import type { CommandType } from '../model/commands';
import { KIND_KEYS } from './useEditorKeys';

export function Toolbar({ readOnly, undoName, redoName, hasSelection, onAdd, onUndo, onRedo, onDelete, onDuplicate, onLayout, onFit, errors, warnings, onIssues }: {
  readOnly: boolean; undoName: CommandType | null; redoName: CommandType | null; hasSelection: boolean;
  onAdd: (k: StepKind) => void; onUndo: () => void; onRedo: () => void; onDelete: () => void; onDuplicate: () => void;
  onLayout: () => void; onFit: () => void; errors: number; warnings: number; onIssues: () => void;
}) {
  const { t } = useTranslation('designer');
  const undoTitle = undoName ? t('toolbar.undoNamed', { name: t(`command.${undoName}`) }) : t('toolbar.nothingUndo');
  const redoTitle = redoName ? t('toolbar.redoNamed', { name: t(`command.${redoName}`) }) : t('toolbar.nothingRedo');
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <div className="tool-group">
        {KIND_KEYS.map((k, i) => (
          <button key={k} type="button" className={`add kind-${k}`} disabled={readOnly} onClick={() => onAdd(k)}
            aria-label={t('toolbar.add', { kind: t(`kind.${k}`) })} aria-keyshortcuts={String(i + 1)}
            title={`${t('toolbar.add', { kind: t(`kind.${k}`) })} — ${t('toolbar.shortcut', { key: i + 1 })}`}>
            + {t(`kind.${k}`)}
          </button>
        ))}
      </div>
      <div className="tool-group">
        <button type="button" onClick={onUndo} disabled={readOnly || !undoName} title={`${undoTitle} (Ctrl+Z)`} aria-keyshortcuts="Control+Z">↶ {t('toolbar.undo')}</button>
        <button type="button" onClick={onRedo} disabled={readOnly || !redoName} title={`${redoTitle} (Ctrl+Shift+Z, Ctrl+Y)`} aria-keyshortcuts="Control+Shift+Z Control+Y">↷ {t('toolbar.redo')}</button>
        <button type="button" onClick={onDelete} disabled={readOnly || !hasSelection} title={`${t('toolbar.delete')} (Delete)`} aria-keyshortcuts="Delete">{t('toolbar.delete')}</button>
        <button type="button" onClick={onDuplicate} disabled={readOnly || !hasSelection} title={`${t('toolbar.duplicate')} (Ctrl+D)`} aria-keyshortcuts="Control+D">{t('toolbar.duplicate')}</button>
        <button type="button" onClick={onLayout} disabled={readOnly}>{t('toolbar.layout')}</button>
        <button type="button" onClick={onFit}>{t('toolbar.fit')}</button>
      </div>
      <button type="button" className={`issue-count ${errors > 0 ? 'bad' : warnings > 0 ? 'warn' : 'ok'}`} onClick={onIssues} data-testid="issue-count">
        {errors + warnings === 0 ? t('toolbar.noIssues') : t('toolbar.issues', { errors, warnings })}
      </button>
    </div>
  );
}
