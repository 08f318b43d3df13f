/**
 * Downloads the report on screen as XLSX, PDF (laid out as the form, with the signature block)
 * or CSV, in the current language, and the unit's tracking book (form 06) for the same period
 * as PDF or XLSX; a refusal shows the server's message.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client';
import { currentLang } from '../../i18n';
import { ErrorBox } from '../../ui';
import { exportPath, type ReportParams } from './chartData';

export function ExportButtons({ params }: { params: ReportParams }) {
  const { t } = useTranslation('dashboard');
  const [busy, setBusy] = useState<'xlsx' | 'pdf' | 'csv' | 'book-pdf' | 'book-xlsx' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async (format: 'xlsx' | 'pdf' | 'csv') => {
    setBusy(format);
    setError(null);
    try {
      await download(exportPath(params, format, currentLang()), `bao-cao-${params.unit}-${params.from}-${params.to}.${format}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const book = async (format: 'pdf' | 'xlsx') => {
    setBusy(`book-${format}`);
    setError(null);
    try {
      const q = new URLSearchParams({ unit: params.unit, from: params.from, to: params.to, format });
      await download(`/api/slips/tracking-book?${q.toString()}`, `so-theo-doi-ho-so-${params.unit}-${params.from}-${params.to}.${format}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="dash-export">
      {/* Labels stay the same while busy, so the buttons keep their accessible names. */}
      <button type="button" className="primary" disabled={busy !== null} aria-busy={busy === 'xlsx'} onClick={() => void run('xlsx')}>
        {t('export.xlsx')}
      </button>
      <button type="button" disabled={busy !== null} aria-busy={busy === 'pdf'} onClick={() => void run('pdf')}>
        {t('export.pdf')}
      </button>
      <button type="button" disabled={busy !== null} aria-busy={busy === 'csv'} onClick={() => void run('csv')}>
        {t('export.csv')}
      </button>
      <button type="button" disabled={busy !== null} aria-busy={busy === 'book-pdf'} onClick={() => void book('pdf')}>
        {t('export.bookPdf')}
      </button>
      <button type="button" disabled={busy !== null} aria-busy={busy === 'book-xlsx'} onClick={() => void book('xlsx')}>
        {t('export.bookXlsx')}
      </button>
      {busy && <span className="muted" role="status">{t('export.busy')}</span>}
      <ErrorBox error={error} />
    </div>
  );
}

/** Downloads the "received at this desk" or catalogue view on screen as XLSX or PDF (the same table, with the unit's heading). */
export function TableExportButtons({ params, view }: { params: ReportParams; view: 'desk' | 'catalogue' }) {
  const { t } = useTranslation('dashboard');
  const [busy, setBusy] = useState<'xlsx' | 'pdf' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (format: 'xlsx' | 'pdf') => {
    setBusy(format);
    setError(null);
    try {
      const q = new URLSearchParams({ unit: params.unit, children: String(params.children), from: params.from, to: params.to, format });
      await download(`/api/stats/${view}?${q.toString()}`, `${view === 'desk' ? 'tiep-nhan-tai-mot-cua' : 'cong-bo-tthc'}-${params.unit}-${params.from}-${params.to}.${format}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="dash-export">
      <button type="button" className="primary" disabled={busy !== null} aria-busy={busy === 'xlsx'} onClick={() => void run('xlsx')}>
        {t(`export.${view}Xlsx`)}
      </button>
      <button type="button" disabled={busy !== null} aria-busy={busy === 'pdf'} onClick={() => void run('pdf')}>
        {t(`export.${view}Pdf`)}
      </button>
      {busy && <span className="muted" role="status">{t('export.busy')}</span>}
      <ErrorBox error={error} />
    </div>
  );
}
