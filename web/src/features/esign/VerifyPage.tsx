/**
 * `/xac-thuc/:id`: the address in the QR code of every signed result. Anyone holding the document
 * sees what the register keeps of it (number, title, agency, signers, time, hash: what the
 * document itself shows) and may check a file: whether its hash is the issued one, each
 * signature intact, and each certificate valid and unrevoked when it signed. `/xac-thuc` alone
 * checks a file found by its hash.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError, unwrap, type paths } from '../../api/client';
import { Badge, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatDateTime } from '../../ui/format';

type Report = paths['/api/public/documents/verify']['post']['responses'][200]['content']['application/json'];
type Doc = paths['/api/public/documents/{id}']['get']['responses'][200]['content']['application/json'];

async function check(file: File, id: string | undefined): Promise<Report> {
  const form = new FormData();
  form.append('file', file);
  if (id) form.append('id', id);
  const res = await fetch('/api/public/documents/verify', { method: 'POST', body: form });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: { vi: string; en?: string } } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? { vi: `Máy chủ trả lời ${res.status}`, en: `The server answered ${res.status}` }, [], body);
  }
  return body as Report;
}

export function VerifyPage() {
  const { id } = useParams();
  const { t } = useTranslation('esign');
  const doc = useQuery({
    queryKey: ['public', 'document', id],
    queryFn: () => unwrap(api.GET('/api/public/documents/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
    retry: false,
  });
  return (
    <Page title={t('verify.title')}>
      {id && (doc.isPending ? <Loading /> : doc.error ? (
        doc.error instanceof ApiError && doc.error.status === 404
          ? <div className="error-box" role="alert"><strong>{t('verify.notFound', { id })}</strong></div>
          : <ErrorBox error={doc.error} />
      ) : doc.data ? <Register d={doc.data} /> : null)}
      <CheckFile id={id} />
    </Page>
  );
}

function Register({ d }: { d: Doc }) {
  const { t } = useTranslation('esign');
  return (
    <section className="card" aria-labelledby="esign-register" data-testid="register-entry">
      <h2 id="esign-register">{t('verify.register')}</h2>
      <dl className="pub-facts">
        <div><dt>{t('verify.docTitle')}</dt><dd>{d.title}</dd></div>
        <div><dt>{t('verify.number')}</dt><dd data-testid="doc-number">{d.number}</dd></div>
        <div><dt>{t('verify.unit')}</dt><dd>{d.unit.name}</dd></div>
        <div><dt>{t('verify.issuedAt')}</dt><dd>{formatDateTime(d.issuedAt)}</dd></div>
        <div>
          <dt>{t('verify.signedBy')}</dt>
          <dd>
            <ul className="pub-plain">
              {d.signers.map((s) => (
                <li key={s.serial}>{s.role === 'seal' ? t('verify.seal') : t('verify.personal')}: <strong>{s.name}</strong>{s.lines.length ? ` (${s.lines.join(' – ')})` : ''}</li>
              ))}
            </ul>
          </dd>
        </div>
        <div><dt>{t('verify.sha256')}</dt><dd><code style={{ wordBreak: 'break-all' }}>{d.sha256}</code></dd></div>
      </dl>
    </section>
  );
}

function CheckFile({ id }: { id: string | undefined }) {
  const { t } = useTranslation('esign');
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({ mutationFn: (f: File) => check(f, id) });
  const r = run.data;
  return (
    <section className="card" aria-labelledby="esign-check">
      <h2 id="esign-check">{t('verify.check')}</h2>
      <p className="muted">{t('verify.intro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); if (file) run.mutate(file); }}>
        <Field label={t('verify.file')}>
          {(fid) => <input id={fid} type="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <button type="submit" className="primary" disabled={!file || run.isPending}>{run.isPending ? t('verify.checking') : t('verify.check')}</button>
      </form>
      <ErrorBox error={run.error} />
      {r && (
        <div data-testid="verdict" data-verdict={r.verdict}>
          <p role="status">
            <Badge tone={r.verdict === 'valid' ? 'ok' : 'bad'}>{t(`verify.${r.verdict}`)}</Badge>
          </p>
          <ul className="pub-plain">
            <li>{r.hashMatches ? t('verify.hashMatches') : t('verify.hashDiffers')} <code style={{ wordBreak: 'break-all' }}>{r.sha256}</code></li>
            {r.signatures.map((s, n) => (
              <li key={n}>
                <strong>{t('verify.signature', { n: n + 1, signer: s.signer ?? '?' })}</strong>
                {s.signedAt ? ` — ${formatDateTime(s.signedAt)}` : ''}
                <br />{s.intact ? t('verify.intact') : t('verify.broken')}; {s.trusted ? t('verify.trusted') : t('verify.untrusted')};{' '}
                {s.validAtSigning ? t('verify.validThen') : t('verify.invalidThen')}; {s.revokedAtSigning ? t('verify.revokedThen') : t('verify.notRevoked')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
