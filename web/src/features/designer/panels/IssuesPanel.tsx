/** The live check list: every issue with its message and JSON pointer; clicking one goes to the culprit. */
import { useTranslation } from 'react-i18next';
import { pick } from '../../../i18n';
import type { DesignerIssue } from '../model/check';

export function IssuesPanel({ issues, pending, onGo }: { issues: DesignerIssue[]; pending: boolean; onGo: (issue: DesignerIssue) => void }) {
  const { t } = useTranslation('designer');
  return (
    <div className="panel-body">
      <h2>{t('issues.title')} {pending && <small className="muted" role="status">{t('issues.checking')}</small>}</h2>
      {issues.length === 0 ? <p className="badge ok" role="status">{t('issues.none')}</p> : (
        <ul className="issues" aria-label={t('issues.title')}>
          {issues.map((i, n) => (
            <li key={`${i.code}-${i.path}-${n}`} className={`issue ${i.severity}`}>
              <button type="button" className="issue-button" onClick={() => onGo(i)}>
                <span className="sr-only">{t('issues.goToPrefix')} </span>
                <span className={`badge ${i.severity === 'error' ? 'bad' : i.severity === 'warning' ? 'warn' : 'info'}`}>{t(`issues.${i.severity}`)}</span>{' '}
                <span>{pick(i.message)}</span>
                <br />
                <code>{i.path || '/'}</code> <small className="muted">{i.code}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
