/**
 * The electronic result on the officers' dossier screen (documents tab): the signed results
 * already issued (download to print or post, link to the verification page), and, while the
 * dossier is open, the specialist's upload of the result document that the approval will sign
 * instead of the procedure's template.
 */
import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, authedFetch, download, unwrap } from '../../api/client';
import { Empty, ErrorBox, Loading } from '../../ui';
import { formatDateTime } from '../../ui/format';
import { tabError } from '../../app/sight';

const keys = {
  results: (id: string) => ['dossier', id, 'signed-results'] as const,
  draft: (id: string) => ['dossier', id, 'result-draft'] as const,
};

/** `outOfSight`: as for the dossier's history (desk Timeline), the results last read stay and their refusal is not repeated. */
export function StaffResults({ id, canUpload, outOfSight = false }: { id: string; canUpload: boolean; outOfSight?: boolean }) {
  const { t } = useTranslation('esign');
  const queryClient = useQueryClient();
  const fileRef = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState('');
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const results = useQuery({
    queryKey: keys.results(id),
    queryFn: () => unwrap(api.GET('/api/dossiers/{id}/results', { params: { path: { id } } })),
  });
  const resultsError = tabError(results.error, outOfSight);
  const draft = useQuery({
    queryKey: keys.draft(id),
    queryFn: () => unwrap(api.GET('/api/dossiers/{id}/result-draft', { params: { path: { id } } })),
  });
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const body = new FormData();
      body.append('file', file);
      const res = await authedFetch(`/api/dossiers/${encodeURIComponent(id)}/result-draft`, { method: 'POST', body });
      return (await res.json()) as { sha256: string; uploadedAt: string };
    },
    onSuccess: async () => {
      setMessage(t('staff.uploaded'));
      if (fileRef.current) fileRef.current.value = '';
      await queryClient.invalidateQueries({ queryKey: keys.draft(id) });
    },
  });
  const issued = results.data ?? [];

  return (
    <section aria-labelledby="esign-staff-h" data-testid="staff-results" className="staff-results">
      <h2 id="esign-staff-h" className="section-title">{t('results.title')}</h2>
      {results.isPending ? <Loading /> : resultsError ? <ErrorBox error={resultsError} /> : !results.data ? null : issued.length === 0 ? <Empty>{t('staff.none')}</Empty> : (
        <table>
          <thead><tr><th scope="col">{t('verify.docTitle')}</th><th scope="col">{t('verify.number')}</th><th scope="col">{t('verify.issuedAt')}</th><th scope="col">{t('verify.signedBy')}</th><th scope="col"><span className="sr-only">{t('staff.actions')}</span></th></tr></thead>
          <tbody>
            {issued.map((r) => (
              <tr key={r.id}>
                <td>{r.title} <span className="small muted block">{t(`staff.source.${r.source === 'upload' ? 'upload' : 'template'}`)}</span></td>
                <td>{r.number}</td>
                <td>{formatDateTime(r.issuedAt)}</td>
                <td>{r.signers.join(', ')}</td>
                <td className="row">
                  <button type="button" aria-label={t('staff.download', { number: r.number })} onClick={() => {
                    setDownloadError(null);
                    download(`/api/dossiers/${encodeURIComponent(id)}/results/${encodeURIComponent(r.id)}`, `ket-qua-${id}-${r.number.replace(/\//g, '-')}.pdf`).catch(setDownloadError);
                  }}>{t('results.download')}</button>
                  <Link to={`/xac-thuc/${encodeURIComponent(r.id)}`}>{t('results.verify')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBox error={downloadError} />
      {(canUpload || draft.data) && (
        <p className="muted" data-testid="result-draft">
          {draft.data
            ? t('staff.draft', { time: formatDateTime(draft.data.uploadedAt), hash: draft.data.sha256.slice(0, 12) })
            : t('staff.noDraft')}
          {draft.data && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => {
                setDownloadError(null);
                download(`/api/dossiers/${encodeURIComponent(id)}/result-draft/file`, `du-thao-ket-qua-${id}.pdf`).catch(setDownloadError);
              }}>{t('staff.readDraft')}</button>
            </>
          )}
        </p>
      )}
      {canUpload && (
        <form className="row upload" aria-label={t('staff.uploadTitle')} onSubmit={(e) => {
          e.preventDefault();
          const file = fileRef.current?.files?.[0];
          if (file) { setMessage(''); upload.mutate(file); }
        }}>
          <label className="inline"><span>{t('staff.file')}</span>
            <input ref={fileRef} type="file" name="file" accept="application/pdf,.pdf" required />
          </label>
          <button type="submit" className="primary" disabled={upload.isPending}>{t('staff.upload')}</button>
          {message && <span role="status" className="ok-text">{message}</span>}
        </form>
      )}
      <ErrorBox error={upload.error} />
    </section>
  );
}
