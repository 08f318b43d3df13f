/** Deadline badge of a dossier: paused while waiting for the citizen, none before acceptance, else the shared colours. */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Badge } from '../../ui';
import { DeadlineBadge } from '../../ui/DeadlineBadge';
import type { Progress } from './types';

export function Deadline({ dueAt, progress, closed }: { dueAt: string | null; progress: Progress | null; closed: boolean }) {
  const { t } = useTranslation();
  if (closed) return null;
  if (progress === 'not-started') return null;
  if (progress === 'paused') return <Badge tone="info">{t('deadline.paused')}</Badge>;
  return <DeadlineBadge dueAt={dueAt} dueSoon={progress === 'due-soon'} />;
}

/** A role's name: the shared words, then the desk's own (citizen, system), else the id. */
export const roleName = (t: TFunction, role: string | null): string =>
  role ? t(`common:role.${role}`, { defaultValue: t(`desk:dossier.role.${role}`, { defaultValue: role }) }) : '';
