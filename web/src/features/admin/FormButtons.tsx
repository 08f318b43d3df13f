/** The foot of every admin form: cancel, then submit (disabled while saving or invalid). */
import { useTranslation } from 'react-i18next';

export function FormButtons({ onCancel, disabled, label }: { onCancel: () => void; disabled: boolean; label?: string }) {
  const { t } = useTranslation('admin');
  return (
    <div className="admin-buttons">
      <button type="button" onClick={onCancel}>{t('common:action.cancel')}</button>
      <button type="submit" className="primary" disabled={disabled}>{label ?? t('common:action.save')}</button>
    </div>
  );
}
