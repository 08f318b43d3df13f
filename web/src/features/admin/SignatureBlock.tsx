/** A signature block as printed at the foot of a paper: formula lines, room to sign, the signer's name. */
import { useTranslation } from 'react-i18next';

export interface Signing {
  prefix: string | null;
  lines: string[];
  signer: string;
}

export function SignatureBlock({ signing, label }: { signing: Signing; label: string }) {
  const { t } = useTranslation('admin');
  return (
    <figure className="signature" aria-label={label} style={{ margin: 0 }}>
      {signing.lines.map((line, i) => <p key={i} className="sig-line">{line}</p>)}
      <p className="sig-space">{t('delegations.signHere')}</p>
      <p className="sig-name">{signing.signer}</p>
    </figure>
  );
}
