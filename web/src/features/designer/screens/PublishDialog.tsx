/** Publishing a draft from an effective date; refused here while the check finds errors, and by the server too. */
import { useState, type FormEvent } from 'react';
import { localDay } from '@motcua/engine/local-time';
import { useTranslation } from 'react-i18next';
import { ErrorBox, Field, Modal } from '../../../ui';

const today = (): string => localDay(new Date());

export function PublishDialog({ open, version, errors, dirty, pending, error, onClose, onPublish }: {
  open: boolean; version: number; errors: number; dirty: boolean; pending: boolean; error: unknown;
  onClose: () => void; onPublish: (effectiveFrom: string) => void;
}) {
  const { t } = useTranslation('designer');
  const [date, setDate] = useState(today);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onPublish(date);
  };
  return (
    <Modal title={t('publish.title', { version })} open={open} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label={t('publish.effectiveFrom')} hint={t('publish.hint')}>
          {(id) => <input id={id} type="date" value={date} onChange={(e) => setDate(e.target.value)} required />}
        </Field>
        {dirty && <p className="muted">{t('publish.saveFirst')}</p>}
        {errors > 0 && <p className="field-error" role="alert">{t('publish.blocked', { count: errors })}</p>}
        <ErrorBox error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={errors > 0 || pending}>{t('publish.submit')}</button>
        </div>
      </form>
    </Modal>
  );
}
