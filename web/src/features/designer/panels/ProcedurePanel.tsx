/** The procedure's catalog facts, fees, documents, roles and settings (shown when nothing is selected). */
import { useTranslation } from 'react-i18next';
import type {
  AdministrativeLevel, CatalogFacts, Channel, DocumentForm, Fee, OnlineLevel, ProcedureDefinition, RequiredDocument, RoleDeclaration,
} from '@motcua/engine';
import { uniqueId } from '../model/ids';
import { CheckField, DurationField, SelectField, TextField } from './inputs';
import type { Exec } from './StepPanel';
import { IssueNotes, ProcedureAuthoring } from './AuthoringFields';
import type { DesignerIssue } from '../model/check';

const LEVELS: AdministrativeLevel[] = ['commune', 'province', 'central'];
const ONLINE: OnlineLevel[] = ['none', 'partial', 'full'];
const CHANNELS: Channel[] = ['direct', 'online', 'postal'];
const FORMS: DocumentForm[] = ['original', 'certified-copy', 'copy', 'original-or-certified-copy', 'original-for-comparison'];

export function ProcedurePanel({ def, exec, readOnly, issues = [] }: { def: ProcedureDefinition; exec: Exec; readOnly: boolean; issues?: readonly DesignerIssue[] }) {
  const { t } = useTranslation('designer');
  const { t: tc } = useTranslation('common');
  const c = def.catalog;
  const cat = (patch: Partial<CatalogFacts>, key: string) => exec({ type: 'catalog.update', patch }, `catalog/${key}`);
  const fees = (list: Fee[], key: string) => cat({ fees: list }, key);
  const docs = (list: RequiredDocument[], key: string) => cat({ documents: list }, key);
  const roles = (list: RoleDeclaration[], key: string) => exec({ type: 'definition.update', patch: { roles: list } }, `roles/${key}`);
  return (
    <div className="panel-body">
      <h2>{t('procedure.title')}</h2>
      <p className="muted">{t('procedure.hint')}</p>
      <p><strong>{t('procedure.id')}:</strong> <code>{def.id}</code></p>
      <div className="grid two tight">
        <TextField label={t('procedure.code')} value={c.code} field="code" disabled={readOnly} onChange={(code) => cat({ code }, 'code')} />
        <TextField label={t('procedure.publishedCode')} value={c.publishedCode ?? ''} field="publishedCode" disabled={readOnly}
          onChange={(v) => cat({ publishedCode: v || undefined }, 'publishedCode')} />
      </div>
      <TextField label={t('procedure.nameVi')} value={c.name.vi} field="name" disabled={readOnly} onChange={(vi) => cat({ name: { ...c.name, vi } }, 'name.vi')} />
      <TextField label={t('procedure.nameEn')} value={c.name.en ?? ''} disabled={readOnly}
        onChange={(en) => cat({ name: en ? { ...c.name, en } : { vi: c.name.vi } }, 'name.en')} />
      <div className="grid two tight">
        <TextField label={t('procedure.field')} value={c.field} field="field" disabled={readOnly} onChange={(field) => cat({ field }, 'field')} />
        <TextField label={t('procedure.fieldCode')} value={c.fieldCode ?? ''} field="fieldCode" disabled={readOnly} hint={t('procedure.fieldCodeHint')}
          onChange={(v) => cat({ fieldCode: v || undefined }, 'fieldCode')} />
      </div>
      <IssueNotes issues={issues} prefix="/catalog/fieldCode" />
      <div className="grid two tight">
        <SelectField label={t('procedure.level')} value={c.level} field="level" disabled={readOnly}
          options={LEVELS.map((l) => ({ value: l, label: t(`procedure.levels.${l}`) }))} onChange={(l) => cat({ level: l as AdministrativeLevel }, 'level')} />
      </div>
      <TextField label={t('procedure.decidingAuthority')} value={c.decidingAuthority} field="decidingAuthority" disabled={readOnly}
        onChange={(v) => cat({ decidingAuthority: v }, 'decidingAuthority')} />
      <TextField label={t('procedure.implementingBody')} value={c.implementingBody} field="implementingBody" disabled={readOnly}
        onChange={(v) => cat({ implementingBody: v }, 'implementingBody')} />
      <fieldset className="sub" data-field="legalDeadline">
        <legend>{t('procedure.legalDeadline')}</legend>
        {/* The field edits the base days or hours; the cases by data are edited below and kept. */}
        <DurationField amountLabel={t('procedure.legalAmount')} unitLabel={t('procedure.legalUnit')} value={c.legalDeadline} allowNone={false} disabled={readOnly}
          onChange={(d) => cat({ legalDeadline: { ...(d ?? { days: 0 }), ...(c.legalDeadline.cases ? { cases: c.legalDeadline.cases } : {}) } }, 'legalDeadline')} />
      </fieldset>
      <TextField label={t('procedure.result')} value={c.result.vi} field="result" disabled={readOnly} onChange={(vi) => cat({ result: { ...c.result, vi } }, 'result')} />
      <TextField label={t('procedure.legalBasis')} multiline value={c.legalBasis.join('\n')} field="legalBasis" disabled={readOnly}
        onChange={(v) => cat({ legalBasis: v.split('\n').filter((l, i, all) => l !== '' || i === all.length - 1) }, 'legalBasis')} />
      <div className="grid two tight">
        <SelectField label={t('procedure.onlineLevel')} value={c.onlineLevel} field="onlineLevel" disabled={readOnly}
          options={ONLINE.map((o) => ({ value: o, label: t(`procedure.online.${o}`) }))} onChange={(o) => cat({ onlineLevel: o as OnlineLevel }, 'onlineLevel')} />
        <div>
          <CheckField label={t('procedure.postal')} checked={c.postal} field="postal" disabled={readOnly} onChange={(postal) => cat({ postal }, 'postal')} />
          <CheckField label={t('procedure.nonGeographic')} checked={c.nonGeographic} field="nonGeographic" disabled={readOnly}
            onChange={(nonGeographic) => cat({ nonGeographic }, 'nonGeographic')} />
        </div>
      </div>
      <fieldset className="sub" data-field="channels">
        <legend>{t('procedure.channels')}</legend>
        {CHANNELS.map((ch) => (
          <CheckField key={ch} label={tc(`channel.${ch}`)} checked={c.channels?.includes(ch) ?? false} disabled={readOnly}
            onChange={(on) => {
              const list = on ? [...(c.channels ?? []), ch] : (c.channels ?? []).filter((x) => x !== ch);
              cat({ channels: list.length ? list : undefined }, 'channels');
            }} />
        ))}
      </fieldset>
      <fieldset className="sub" data-field="fees">
        <legend>{t('procedure.fees')}</legend>
        {c.fees.map((f, n) => (
          <div key={n} className="row item">
            <input aria-label={t('procedure.feeId', { n: n + 1 })} value={f.id} size={8} disabled={readOnly} onChange={(e) => fees(c.fees.map((x, i) => (i === n ? { ...x, id: e.target.value } : x)), `fee${n}.id`)} />
            <input aria-label={t('procedure.feeName', { n: n + 1 })} value={f.name.vi} disabled={readOnly} onChange={(e) => fees(c.fees.map((x, i) => (i === n ? { ...x, name: { ...x.name, vi: e.target.value } } : x)), `fee${n}.name`)} />
            <input aria-label={t('procedure.feeAmount', { n: n + 1 })} type="number" min={0} value={f.amount} size={7} disabled={readOnly} onChange={(e) => fees(c.fees.map((x, i) => (i === n ? { ...x, amount: Number(e.target.value) } : x)), `fee${n}.amount`)} />
            <button type="button" className="icon" aria-label={t('procedure.removeFee', { n: n + 1 })} disabled={readOnly} onClick={() => fees(c.fees.filter((_, i) => i !== n), 'fees.remove')}>×</button>
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => fees([...c.fees, { id: uniqueId('fee', c.fees.map((f) => f.id)), name: { vi: 'Lệ phí' }, amount: 0, per: 'dossier' }], 'fees.add')}>{t('procedure.addFee')}</button>
      </fieldset>
      <fieldset className="sub" data-field="documents">
        <legend>{t('procedure.documents')}</legend>
        {c.documents.map((d, n) => (
          <div key={n} className="item">
            <div className="row">
              <input aria-label={t('procedure.docId', { n: n + 1 })} value={d.id} size={10} disabled={readOnly} onChange={(e) => docs(c.documents.map((x, i) => (i === n ? { ...x, id: e.target.value } : x)), `doc${n}.id`)} />
              <input aria-label={t('procedure.docCount', { n: n + 1 })} type="number" min={1} value={d.count} style={{ width: 56 }} disabled={readOnly} onChange={(e) => docs(c.documents.map((x, i) => (i === n ? { ...x, count: Number(e.target.value) } : x)), `doc${n}.count`)} />
              <button type="button" className="icon" aria-label={t('procedure.removeDoc', { n: n + 1 })} disabled={readOnly} onClick={() => docs(c.documents.filter((_, i) => i !== n), 'docs.remove')}>×</button>
            </div>
            <input aria-label={t('procedure.docName', { n: n + 1 })} value={d.name.vi} className="wide" disabled={readOnly} onChange={(e) => docs(c.documents.map((x, i) => (i === n ? { ...x, name: { ...x.name, vi: e.target.value } } : x)), `doc${n}.name`)} />
            <div className="row">
              <select aria-label={t('procedure.docForm', { n: n + 1 })} value={d.form} disabled={readOnly} onChange={(e) => docs(c.documents.map((x, i) => (i === n ? { ...x, form: e.target.value as DocumentForm } : x)), `doc${n}.form`)}>
                {FORMS.map((f) => <option key={f} value={f}>{t(`procedure.docForms.${f}`)}</option>)}
              </select>
              <label className="check">
                <input type="checkbox" aria-label={t('procedure.docOptional', { n: n + 1 })} checked={d.optional ?? false} disabled={readOnly} onChange={(e) => docs(c.documents.map((x, i) => (i === n ? { ...x, optional: e.target.checked || undefined } : x)), `doc${n}.optional`)} />
                {t('procedure.docOptional', { n: '' })}
              </label>
            </div>
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => docs([...c.documents, { id: uniqueId('document', c.documents.map((d) => d.id)), name: { vi: 'Giấy tờ' }, form: 'original', count: 1 }], 'docs.add')}>{t('procedure.addDocument')}</button>
      </fieldset>
      <fieldset className="sub" data-field="roles">
        <legend>{t('procedure.roles')}</legend>
        {def.roles.map((r, n) => (
          <div key={n} className="row item">
            <input aria-label={t('procedure.roleId', { n: n + 1 })} value={r.id} size={9} disabled={readOnly} onChange={(e) => roles(def.roles.map((x, i) => (i === n ? { ...x, id: e.target.value } : x)), `${n}.id`)} />
            <input aria-label={t('procedure.roleName', { n: n + 1 })} value={r.name.vi} disabled={readOnly} onChange={(e) => roles(def.roles.map((x, i) => (i === n ? { ...x, name: { ...x.name, vi: e.target.value } } : x)), `${n}.name`)} />
            <button type="button" className="icon" aria-label={t('procedure.removeRole', { n: n + 1 })} disabled={readOnly} onClick={() => roles(def.roles.filter((_, i) => i !== n), 'remove')}>×</button>
          </div>
        ))}
        <button type="button" disabled={readOnly} onClick={() => roles([...def.roles, { id: uniqueId('role', def.roles.map((r) => r.id)), name: { vi: 'Vai trò mới' } }], 'add')}>{t('procedure.addRole')}</button>
      </fieldset>
      <ProcedureAuthoring def={def} exec={exec} readOnly={readOnly} issues={issues} />
      <fieldset className="sub" data-field="settings">
        <legend>{t('procedure.settings')}</legend>
        <TextField label={t('procedure.cutoffTime')} value={def.settings?.cutoffTime ?? ''} disabled={readOnly} placeholder="15:00"
          onChange={(v) => {
            const { cutoffTime: _drop, ...rest } = def.settings ?? {};
            const settings = v ? { ...rest, cutoffTime: v } : rest;
            exec({ type: 'definition.update', patch: { settings: Object.keys(settings).length ? settings : undefined } }, 'settings/cutoff');
          }} />
        <CheckField label={t('procedure.sealSlips')} checked={def.settings?.sealSlips === true} field="sealSlips" disabled={readOnly}
          onChange={(on) => {
            // Off is the default: the key is dropped rather than kept as false.
            const { sealSlips: _drop, ...rest } = def.settings ?? {};
            const settings = on ? { ...rest, sealSlips: true } : rest;
            exec({ type: 'definition.update', patch: { settings: Object.keys(settings).length ? settings : undefined } }, 'settings/sealSlips');
          }} />
        <p className="small muted">{t('procedure.sealSlipsHint')}</p>
        <IssueNotes issues={issues} prefix="/settings/sealSlips" />
      </fieldset>
    </div>
  );
}
