/** The dossier-code form: goes to /public/lookup/:code. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Field } from '../../ui';
import { normalizeCode } from './words';

export function LookupForm({ initial = '' }: { initial?: string }) {
  const { t } = useTranslation('public');
  const navigate = useNavigate();
  const [code, setCode] = useState(initial);
  const [missing, setMissing] = useState(false);
  return (
    <form
      className="card pub-lookup"
      role="search"
      aria-label={t('lookup.title')}
      onSubmit={(e) => {
        e.preventDefault();
        const clean = normalizeCode(code);
        setMissing(clean === '');
        if (clean) void navigate(`/public/lookup/${encodeURIComponent(clean)}`);
      }}
    >
      <Field label={t('lookup.code')} error={missing ? t('lookup.required') : undefined}>
        {(id) => (
          <input
            id={id}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={t('lookup.codePlaceholder')}
            autoComplete="off"
            spellCheck={false}
            size={32}
          />
        )}
      </Field>
      <button type="submit" className="primary">{t('lookup.submit')}</button>
    </form>
  );
}
