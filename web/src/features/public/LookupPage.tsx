/** `/public/lookup`: a citizen types the code from the receipt slip. */
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui';
import { LookupForm } from './LookupForm';
import './public.css';

export function LookupPage() {
  const { t } = useTranslation('public');
  return (
    <Page title={t('lookup.title')}>
      <p className="muted pub-intro">{t('lookup.intro')}</p>
      <LookupForm />
    </Page>
  );
}
