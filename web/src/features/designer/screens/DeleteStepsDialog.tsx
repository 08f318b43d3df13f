/** Before deleting steps others point at: what goes with them; the designer confirms or goes back to retarget. */
import type { ProcedureDefinition } from '@motcua/engine';
import { useTranslation } from 'react-i18next';
import { pick } from '../../../i18n';
import { Modal } from '../../../ui';
import type { DeletedReference } from '../model/deletion';

export function DeleteStepsDialog({ def, ids, refs, onConfirm, onClose }: {
  def: ProcedureDefinition; ids: string[]; refs: DeletedReference[]; onConfirm: () => void; onClose: () => void;
}) {
  const { t } = useTranslation('designer');
  const stepName = (id: string | null) => {
    if (id === null) return t('canvas.global');
    const s = def.steps.find((x) => x.id === id) ?? def.steps.flatMap((x) => x.branches?.flatMap((b) => b.steps) ?? []).find((x) => x.id === id);
    return s ? `${pick(s.name)} (${id})` : id;
  };
  return (
    <Modal title={t('deleteSteps.title', { count: ids.length, steps: ids.map(stepName).join(', ') })} open onClose={onClose}>
      <p>{t('deleteSteps.intro', { count: refs.length })}</p>
      <ul className="plain" data-testid="delete-references">
        {refs.map((r, i) => (
          <li key={i}>
            <strong>{stepName(r.step)}</strong>: {r.kind === 'next' ? t('deleteSteps.next') : pick(r.action?.label)} → {stepName(r.target)}{' '}
            <small className="muted">{t(r.effect === 'removed' ? 'deleteSteps.removed' : 'deleteSteps.route', { route: (r.route ?? 0) + 1 })}</small>
          </li>
        ))}
      </ul>
      <p className="muted">{t('deleteSteps.retarget')}</p>
      <div className="row">
        <button type="button" onClick={onClose} autoFocus>{t('deleteSteps.cancel')}</button>
        <button type="button" className="danger" onClick={onConfirm}>{t('deleteSteps.confirm', { count: refs.length })}</button>
      </div>
    </Modal>
  );
}
