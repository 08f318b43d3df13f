/** The dashboard's digitisation indicators (Decision 766/QĐ-TTg) for the chosen unit and period, per unit. */
import { useTranslation } from 'react-i18next';
import { ErrorBox, Loading } from '../../ui';
import { formatNumber } from '../../ui/format';
import { useDigitisation } from './api';

const pct = (v: number | null): string => (v === null ? '—' : `${formatNumber(v * 100, 1)} %`);

export function DigitisationCard({ params }: { params: { unit: string; children: boolean; from: string; to: string } }) {
  const { t } = useTranslation('papers');
  const q = useDigitisation(params);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorBox error={q.error} />;
  const s = q.data.total;
  return (
    <section className="card digitisation" aria-labelledby="digitisation-h" data-testid="digitisation">
      <h2 id="digitisation-h" className="section-title">{t('stats.title')}</h2>
      <dl className="facts-list">
        <dt>{t('stats.digitisedShare')}</dt><dd><strong>{pct(s.digitisedShare)}</strong> ({t('stats.of', { n: s.dossiersDigitised, d: s.received })})</dd>
        <dt>{t('stats.electronicShare')}</dt><dd><strong>{pct(s.electronicResultShare)}</strong> ({t('stats.of', { n: s.resultsElectronic, d: s.results })})</dd>
        <dt>{t('stats.reuseShare')}</dt><dd><strong>{pct(s.reuseShare)}</strong> ({t('stats.of', { n: s.dossiersReusing, d: s.received })})</dd>
      </dl>
      {q.data.rows.length > 1 && (
        <table>
          <caption>{t('stats.byUnit')}</caption>
          <thead><tr>{(['unit', 'received', 'digitised', 'results', 'reuse', 'lookups'] as const).map((c) => <th key={c} scope="col">{t(`stats.col.${c}`)}</th>)}</tr></thead>
          <tbody>
            {q.data.rows.map((r) => (
              <tr key={r.unit.code}>
                <td>{r.unit.name}</td><td className="num">{r.received}</td><td className="num">{r.dossiersDigitised} ({pct(r.digitisedShare)})</td>
                <td className="num">{r.resultsElectronic} / {r.results}</td><td className="num">{r.dossiersReusing} / {r.papersReused}</td><td className="num">{r.lookups}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
