/**
 * `/cong-dan/giay-to`, "Giấy tờ của tôi": the signed-in citizen's own data store — the papers
 * digitised at a desk and the results issued, kept by their personal ID (GET /api/me/papers) —
 * each downloadable. Behind the citizen's session (the same cookie as "Hồ sơ của tôi").
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchOk, saveBlob, type paths } from '../../api/client';
import { Badge, Empty, ErrorBox, Loading, Page } from '../../ui';
import { formatDate } from '../../ui/format';
import { call } from '../citizen/api';
import { SignIn, useCitizen } from '../citizen/CitizenHome';

type Entry = paths['/api/me/papers']['get']['responses'][200]['content']['application/json'][number];

/** Downloads one paper of the store with the session cookie, under the server's file name. */
async function downloadPaper(e: Entry): Promise<void> {
  const res = await fetchOk(`/api/me/papers/${encodeURIComponent(e.documentId)}`, { credentials: 'same-origin' });
  saveBlob(await res.blob(), e.name);
}

export function MyPapersPage() {
  const { t } = useTranslation('papers');
  const { me, error } = useCitizen();
  const [list, setList] = useState<Entry[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  useEffect(() => {
    if (me) call<Entry[]>('/api/me/papers').then(setList, setListError);
  }, [me]);
  if (error) return <Page title={t('mine.title')}><ErrorBox error={error} /></Page>;
  if (me === undefined) return <Loading />;
  if (me === null) return <Page title={t('mine.title')}><SignIn next="/cong-dan/giay-to" /></Page>;
  const groups = (['digitised', 'result'] as const).map((kind) => ({ kind, rows: (list ?? []).filter((e) => e.kind === kind) }));
  return (
    <Page title={t('mine.title')}>
      <p className="muted">{t('mine.intro')}</p>
      <ErrorBox error={listError} />
      {list === null ? (listError ? null : <Loading />) : list.length === 0 ? <Empty>{t('mine.none')}</Empty> : groups.filter((g) => g.rows.length > 0).map((g) => (
        <section key={g.kind} className="card" aria-labelledby={`my-papers-${g.kind}`} data-testid={`my-papers-${g.kind}`}>
          <h2 id={`my-papers-${g.kind}`} className="section-title">{g.kind === 'digitised' ? t('mine.digitised') : t('mine.results')}</h2>
          <table>
            <thead>
              <tr>
                {(['name', 'number', 'issuer', 'issuedOn', 'dossier'] as const).map((c) => <th key={c} scope="col">{t(`mine.col.${c}`)}</th>)}
                <th scope="col"><span className="sr-only">{t('mine.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {g.rows.map((e) => (
                <tr key={e.documentId}>
                  <td>{e.name}{e.signed && <> <Badge tone="ok">{t('mine.signed')}</Badge></>}</td>
                  <td>{e.number ?? '—'}</td>
                  <td>{e.issuer ?? '—'}</td>
                  <td>{e.issuedOn ? formatDate(e.issuedOn) : '—'}{e.validUntil && <span className="small muted block">{t('mine.validUntil', { date: formatDate(e.validUntil) })}</span>}</td>
                  <td><Link to={`/cong-dan/ho-so/${encodeURIComponent(e.dossierId)}`}>{e.dossierId}</Link></td>
                  <td>
                    <button type="button" aria-label={t('mine.downloadOf', { name: e.name })}
                      onClick={() => { setDownloadError(null); downloadPaper(e).catch(setDownloadError); }}>{t('mine.download')}</button>
                    {/* The public verification page of a signed result, the one its QR code opens. */}
                    {e.verifyId && <> <Link to={`/xac-thuc/${encodeURIComponent(e.verifyId)}`} aria-label={t('mine.verifyOf', { name: e.name })}>{t('mine.verify')}</Link></>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <ErrorBox error={downloadError} />
    </Page>
  );
}
