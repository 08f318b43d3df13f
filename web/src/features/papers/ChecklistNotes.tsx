/**
 * Beside each paper of the intake checklist: "đã có bản điện tử" when the citizen's store
 * holds an electronic copy of its type (reused unless the officer unticks it), or "not
 * required" when a lookup found the data that replaces it.
 */
import { useTranslation } from 'react-i18next';
import { Badge } from '../../ui';
import type { Lookup, StoreEntry } from './api';

export function ChecklistNote({ paper, held, reused, onReuse, lookups }: {
  paper: { id: string; notRequiredWhenFound?: 'population' | 'civil-status' };
  held: StoreEntry | undefined; reused: boolean; onReuse: (on: boolean) => void; lookups: Lookup[];
}) {
  const { t } = useTranslation('papers');
  const found = lookups.find((l) => l.papersNotRequired.includes(paper.id));
  return (
    <div className="checklist-note" data-testid={`note-${paper.id}`}>
      {found && <Badge tone="info">{t('checklist.notRequired', { source: t(`shared.sourceName.${found.source}`) })}</Badge>}
      {held && (
        <>
          <Badge tone="ok">{t('checklist.available')}</Badge>{' '}
          <label className="small">
            <input type="checkbox" checked={reused} onChange={(e) => onReuse(e.target.checked)} />
            {' '}{t('checklist.reuse', { number: held.number ?? '', issuer: held.issuer ?? '' })}
          </label>
        </>
      )}
    </div>
  );
}
