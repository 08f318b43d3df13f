/**
 * Says that an action is held until the network comes back. React Query pauses a mutation
 * while the browser is offline (networkMode "online") and sends it on reconnection, so the
 * officer must see that it is waiting, not lost and not done.
 */
import { useTranslation } from 'react-i18next';

export function OfflineNotice({ paused }: { paused: boolean }) {
  const { t } = useTranslation('desk');
  if (!paused) return null;
  return <p className="notice warn" role="status">{t('offline.waiting')}</p>;
}
