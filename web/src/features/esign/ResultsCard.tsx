/**
 * The signed results of a dossier on the citizen's public page: each downloadable with the same
 * second factor the page was opened with (docs/public-lookup.md), and a link to its verification.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, fetchOk, saveBlob, unwrap } from '../../api/client';
import { ErrorBox } from '../../ui';
import { formatDateTime } from '../../ui/format';

export interface Factor { key?: string; last4?: string; applicantId?: string }

async function downloadResult(code: string, id: string, factor: Factor, name: string): Promise<void> {
  const res = await fetchOk(`/api/public/dossiers/${encodeURIComponent(code)}/results/${encodeURIComponent(id)}/download`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(factor),
  });
  saveBlob(await res.blob(), name);
}

export function ResultsCard({ code, factor }: { code: string; factor: Factor }) {
  const { t } = useTranslation('esign');
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ['public', 'dossier', code, 'results', factor],
    queryFn: () => unwrap(api.POST('/api/public/dossiers/{id}/results', { params: { path: { id: code } }, body: factor })),
  });
  if (!list.data || list.data.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pub-d-results" data-testid="signed-results">
      <h2 id="pub-d-results">{t('results.title')}</h2>
      <p className="muted">{t('results.intro')}</p>
      <ul className="pub-plain">
        {list.data.map((r) => (
          <li key={r.id}>
            <strong>{r.title}</strong> — {t('results.number', { number: r.number })}, {t('results.issuedAt', { time: formatDateTime(r.issuedAt) })}
            <br /><span className="muted">{t('results.signers', { names: r.signers.join(', ') })}</span>
            <br />
            <button type="button" className="primary" onClick={() => {
              setError(null);
              downloadResult(code, r.id, factor, `ket-qua-${code}-${r.number.replace(/\//g, '-')}.pdf`).catch(setError);
            }}>{t('results.download')}</button>{' '}
            <Link to={`/xac-thuc/${encodeURIComponent(r.id)}`}>{t('results.verify')}</Link>
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </section>
  );
}
