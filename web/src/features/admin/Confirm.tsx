/** A confirmation dialog for destructive actions; shows the server's refusal in place. */
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox, Modal } from '../../ui';

export function Confirm({ title, children, confirmLabel, onConfirm, onClose, danger = true, disabled = false }: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  danger?: boolean;
  /** Keeps the confirm button off until the caller's own acknowledgement is given. */
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const run = useMutation({ mutationFn: onConfirm, onSuccess: onClose });
  return (
    <Modal title={title} open onClose={onClose}>
      {children}
      <ErrorBox error={run.error} />
      <div className="admin-buttons">
        <button type="button" onClick={onClose}>{t('action.cancel')}</button>
        <button type="button" className={danger ? 'danger' : 'primary'} disabled={disabled || run.isPending} onClick={() => run.mutate()}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
