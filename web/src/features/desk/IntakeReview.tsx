/**
 * The last intake step: one review of the declaration, the papers, the fees and where the
 * dossier goes (units by name, channel editable here), with "accept" focused so Enter takes it.
 */
import { useTranslation } from 'react-i18next';
import { Badge, ErrorBox } from '../../ui';
import { formatMoney } from '../../ui/format';
import { pick } from '../../i18n';
import type { ProcedureDetail } from './api';
import { dataRows } from './dataRows';
import { RoutingFields, type Routing } from './IntakeSteps';

type FormValue = { [key: string]: unknown };
export type Mode = 'accept' | 'register' | 'refuse';

interface Props {
  detail: ProcedureDetail;
  dataSchema: unknown;
  form: FormValue;
  received: Set<string>;
  units: string[];
  routing: Routing;
  onRouting: (r: Routing) => void;
  pending: boolean;
  error: unknown;
  onSubmit: (mode: Mode) => void;
  onBack: () => void;
}

export function IntakeReview({ detail, dataSchema, form, received, units, routing, onRouting, pending, error, onSubmit, onBack }: Props) {
  const { t, i18n } = useTranslation('desk');
  const applicant = (form['applicant'] ?? {}) as { name?: string; id?: string };
  const rows = dataRows(dataSchema, (form['data'] ?? {}) as FormValue, i18n.language === 'en' ? 'en' : 'vi', { yes: t('dossier.yes'), no: t('dossier.no') });
  const missing = detail.documents.filter((d) => !d.optional && !d.conditional && !received.has(d.id));
  return (
    <div className="card intake-review">
      <h3>{t('intake.summary')}</h3>
      <table className="kv" data-testid="intake-declaration">
        <tbody>
          <tr><th scope="row">{t('dossier.applicant')}</th><td>{applicant.name ?? ''}{applicant.id ? ` · ${applicant.id}` : ''}</td></tr>
          {rows.map((r) => <tr key={r.key}><th scope="row" title={r.key}>{r.label}</th><td className="pre">{r.text}</td></tr>)}
          <tr>
            <th scope="row">{t('intake.documentsReceived')}</th>
            <td>
              {detail.documents.filter((d) => received.has(d.id)).map((d) => pick(d.name)).join('; ') || '—'}
              {missing.length > 0 && <> <Badge tone="warn">{t('intake.missingRequired', { count: missing.length })}</Badge></>}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('intake.fees')}</th>
            <td>{detail.fees.length === 0 ? t('intake.noFee') : detail.fees.map((f) => `${pick(f.name)}: ${formatMoney(f.amount)}`).join('; ')}</td>
          </tr>
        </tbody>
      </table>
      <RoutingFields detail={detail} units={units} value={routing} onChange={onRouting} />
      <ErrorBox error={error} />
      <div className="confirm-choices">
        <div>
          {/* Focused on arrival: the desk officer checks the screen and presses Enter. */}
          <button type="button" className="primary big" autoFocus disabled={pending} onClick={() => onSubmit('accept')}>{t('intake.accept')}</button>
          <small className="muted">{t('intake.acceptHint')}</small>
        </div>
        <div>
          <button type="button" disabled={pending} onClick={() => onSubmit('register')}>{t('intake.register')}</button>
          <small className="muted">{t('intake.registerHint')}</small>
        </div>
        <div>
          <button type="button" className="danger" disabled={pending} onClick={() => onSubmit('refuse')}>{t('intake.refuse')}</button>
          <small className="muted">{t('intake.refuseHint')}</small>
        </div>
      </div>
      {pending && <p role="status">{t('intake.submitting')}</p>}
      <div className="row form-buttons"><button type="button" onClick={onBack}>{t('common:action.back')}</button></div>
    </div>
  );
}
