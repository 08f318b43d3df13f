/**
 * A dossier's papers: those the desk ticked at intake (kept with the dossier as
 * `data.intakePapers`), then the files attached to it (list, download, upload as multipart `file`).
 */
import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authedFetch, download } from '../../api/client';
import { Empty, ErrorBox, Loading } from '../../ui';
import { formatDateTime, formatNumber } from '../../ui/format';
import { pick } from '../../i18n';
import { keys, useDocuments } from './api';
import { tabError } from '../../app/sight';
import { DigitiseForm } from '../papers/DigitiseForm';

/** A paper received at intake, in the catalog's words of the dossier's version (server: IntakePaper). */
export interface IntakePaper { id: string; name: { vi: string; en?: string }; form: string; count: number }

/** The intake checklist a dossier carries; anything malformed is left out rather than shown as a key. */
export function intakePapersOf(data: { [key: string]: unknown }): IntakePaper[] {
  const raw = data['intakePapers'];
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is IntakePaper => typeof p === 'object' && p !== null && typeof (p as IntakePaper).id === 'string'
    && typeof (p as IntakePaper).name?.vi === 'string');
}

/** What the desk received at intake: paper, original or copy, how many. */
function ReceivedPapers({ papers }: { papers: IntakePaper[] }) {
  const { t } = useTranslation('desk');
  return (
    <section aria-labelledby="papers-received-h">
      <h2 id="papers-received-h" className="section-title">{t('documents.receivedTitle')}</h2>
      {papers.length === 0 ? <Empty>{t('documents.noneReceived')}</Empty> : (
        <table data-testid="intake-papers">
          <thead><tr><th scope="col">{t('documents.col.paper')}</th><th scope="col">{t('documents.col.form')}</th><th scope="col" className="num">{t('documents.col.count')}</th></tr></thead>
          <tbody>
            {papers.map((p) => (
              <tr key={p.id}>
                <td>{pick(p.name)}</td>
                <td>{t(`intake.form.${p.form}`, { defaultValue: p.form })}</td>
                <td className="num">{t('intake.copies', { count: p.count })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const size = (bytes: number): string => (bytes >= 1_048_576 ? `${formatNumber(bytes / 1_048_576, 1)} MB` : `${formatNumber(Math.ceil(bytes / 1024))} KB`);

/** `outOfSight`: as for the history (Timeline), the files last read stay and their refusal is not repeated. */
export function Documents({ id, canUpload, papers, holderId = '', outOfSight = false }: { id: string; canUpload: boolean; papers: IntakePaper[]; holderId?: string; outOfSight?: boolean }) {
  const { t } = useTranslation('desk');
  const { t: tp } = useTranslation('papers');
  const [digitising, setDigitising] = useState<string | null>(null);
  const docs = useDocuments(id);
  const docsError = tabError(docs.error, outOfSight);
  const queryClient = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const upload = useMutation({
    mutationFn: async (file: File) => {
      const body = new FormData();
      body.append('file', file);
      if (name.trim()) body.append('name', name.trim());
      const res = await authedFetch(`/api/dossiers/${encodeURIComponent(id)}/documents`, { method: 'POST', body });
      return (await res.json()) as { name: string };
    },
    onSuccess: async (doc) => {
      setMessage(t('documents.uploaded', { name: doc.name }));
      setName('');
      if (fileRef.current) fileRef.current.value = '';
      await queryClient.invalidateQueries({ queryKey: keys.documents(id) });
    },
  });

  return (
    <div>
      <ReceivedPapers papers={papers} />
      <h2 className="section-title">{t('documents.filesTitle')}</h2>
      {docs.isPending ? <Loading /> : docsError ? <ErrorBox error={docsError} /> : !docs.data ? null : docs.data.length === 0 ? <Empty>{t('documents.none')}</Empty> : (
        <table>
          <thead><tr><th>{t('documents.col.name')}</th><th>{tp('kind.submitted')} / {tp('kind.digitised')}</th><th className="num">{t('documents.col.size')}</th><th>{t('documents.col.by')}</th><th>{t('documents.col.at')}</th><th></th></tr></thead>
          <tbody>
            {docs.data?.map((d) => (
              <tr key={d.id} data-kind={d.kind}>
                <td>{d.name}</td>
                <td>
                  <span className={`badge kind-${d.kind}`}>{tp(`kind.${d.kind}`)}</span>
                  {d.kind === 'digitised' && typeof d.meta['number'] === 'string' && (
                    <span className="small muted block">{tp('meta', { number: d.meta['number'], issuer: String(d.meta['issuer'] ?? ''), issuedOn: String(d.meta['issuedOn'] ?? '') })}</span>
                  )}
                  {d.reusedFrom && <span className="small muted block">{tp('reused')}</span>}
                  {canUpload && d.kind === 'submitted' && papers.length > 0 && (
                    <button type="button" className="link" onClick={() => setDigitising(d.id)}>{tp('digitise')}</button>
                  )}
                </td>
                <td className="num">{size(d.size)}</td>
                <td>{d.uploadedBy.name ?? d.uploadedBy.id}</td>
                <td>{formatDateTime(d.createdAt)}</td>
                <td>
                  <button type="button" aria-label={t('documents.download', { name: d.name })}
                    onClick={() => { setDownloadError(null); download(d.url, d.name).catch(setDownloadError); }}>
                    {t('common:action.download')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={downloadError} />
      {docs.data && <p className="muted" data-testid="digitised-count">{tp('digitisedPapers', { count: docs.data.filter((d) => d.kind === 'digitised').length })}</p>}
      {digitising && docs.data?.some((d) => d.id === digitising) && (
        <DigitiseForm dossierId={id} doc={docs.data.find((d) => d.id === digitising)!} papers={papers} holderId={holderId} onDone={() => setDigitising(null)} />
      )}
      {canUpload && (
        <form className="row upload" onSubmit={(e) => {
          e.preventDefault();
          const file = fileRef.current?.files?.[0];
          if (file) { setMessage(''); upload.mutate(file); }
        }}>
          <label className="inline"><span>{t('documents.file')}</span>
            <input ref={fileRef} type="file" name="file" accept="application/pdf,image/jpeg,image/png" required />
          </label>
          <label className="inline"><span>{t('documents.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
          </label>
          <button type="submit" className="primary" disabled={upload.isPending}>{t('documents.upload')}</button>
          {message && <span role="status" className="ok-text">{message}</span>}
        </form>
      )}
      <ErrorBox error={upload.error} />
    </div>
  );
}
