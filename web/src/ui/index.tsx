/** Small shared pieces: page frame, errors, loading, fields, dialogs, badges. Plain and keyboard-friendly. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiIssue } from '../api/client';
import { pick } from '../i18n';
import type { LabelOf } from './labels';

export type { LabelOf } from './labels';

export function Page({ title, actions, children }: { title: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-head">
        <h1>{title}</h1>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <p className="muted" role="status">{t('state.loading')}</p>;
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <p className="muted empty">{children ?? t('state.empty')}</p>;
}

/** Issues of an API error, one a line: "<field>: <message>" where `labelOf` names the field, else the pointer as code. */
export function IssueList({ issues, labelOf }: { issues: readonly ApiIssue[]; labelOf?: LabelOf | undefined }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issue-list">
      {issues.map((i, n) => {
        const label = labelOf?.(i.path);
        return (
          <li key={n}>
            {label !== undefined ? <>{label}: </> : i.path ? <><code>{i.path}</code> </> : null}{pick(i.message)}
          </li>
        );
      })}
    </ul>
  );
}

/** Shows an error from the API (bilingual message, culprits by field or JSON pointer, see IssueList) or any other error. */
export function ErrorBox({ error, onRetry, labelOf }: { error: unknown; onRetry?: () => void; labelOf?: LabelOf }) {
  const { t } = useTranslation();
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  return (
    <div className="error-box" role="alert">
      <strong>{api ? pick(api.messages) : error instanceof Error ? error.message : t('state.error')}</strong>
      {api && <IssueList issues={api.issues} labelOf={labelOf} />}
      {onRetry && <button type="button" onClick={onRetry}>{t('action.retry')}</button>}
    </div>
  );
}

/** A labelled control; `children` receives the id to put on the input. */
export function Field({ label, hint, error, children }: { label: ReactNode; hint?: ReactNode; error?: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="muted">{hint}</small>}
      {error && <small className="field-error" role="alert">{error}</small>}
    </div>
  );
}

/** A modal dialog on the native <dialog>: Esc closes, focus stays inside. */
export function Modal({ title, open, onClose, children, wide }: { title: ReactNode; open: boolean; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`modal${wide ? ' wide' : ''}`} onClose={onClose} aria-label={typeof title === 'string' ? title : undefined}>
      <header className="modal-head">
        <h2>{title}</h2>
        <button type="button" className="icon" onClick={onClose} aria-label={t('action.close')}>×</button>
      </header>
      <div className="modal-body">{open ? children : null}</div>
    </dialog>
  );
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode; title?: string }) {
  return <span className={`badge ${tone}`} title={title}>{children}</span>;
}

/** The current time, ticking every `ms` (for countdowns): the clock belongs to the screen, not the data. */
export function useNow(ms = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
