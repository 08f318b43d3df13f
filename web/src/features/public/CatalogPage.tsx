/** `/public`: the catalog of procedures in force — search (accents optional), filters, pages. */
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { pick } from '../../i18n';
import { Badge, Empty, ErrorBox, Field, Loading, Page } from '../../ui';
import { formatNumber } from '../../ui/format';
import { pageCount, readCatalog, toApiQuery, writeCatalog, type CatalogFilters } from './catalogQuery';
import { deadlineWords } from './words';
import { unitOptions, usePublicUnits } from '../../app/units';
import './public.css';

export function CatalogPage() {
  const { t } = useTranslation('public');
  const [params, setParams] = useSearchParams();
  const filters = readCatalog(params);
  // Changes build on the address bar, not on this render's params: the router re-renders a
  // moment after it updates the URL, and a second quick change must not undo the first.
  const latest = () => new URLSearchParams(window.location.search);
  const update = (change: Partial<CatalogFilters>) => {
    setParams(writeCatalog(readCatalog(latest()), change));
  };

  // The search box is edited freely and applied on submit; the URL holds the applied text.
  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  const units = usePublicUnits();

  const fields = useQuery({ queryKey: ['public', 'fields'], queryFn: () => unwrap(api.GET('/api/public/fields')) });
  const query = toApiQuery(filters);
  const list = useQuery({
    queryKey: ['public', 'procedures', query],
    queryFn: () => unwrap(api.GET('/api/public/procedures', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const pages = list.data ? pageCount(list.data.total, list.data.pageSize) : 1;
  const filtered = filters.q || filters.field || filters.level || filters.onlineLevel || filters.nonGeographic || filters.unit;

  return (
    <Page title={t('catalog.title')}>
      <p className="muted pub-intro">{t('catalog.intro')}</p>
      <form
        className="card pub-search"
        role="search"
        onSubmit={(e) => { e.preventDefault(); update({ q: text }); }}
      >
        <div className="pub-search-main">
          <Field label={t('catalog.search')}>
            {(id) => <input id={id} type="search" value={text} placeholder={t('catalog.searchPlaceholder')} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <button type="submit" className="primary">{t('catalog.submit')}</button>
        </div>
        <fieldset className="pub-filters">
          <legend className="sr-only">{t('catalog.filters')}</legend>
          <Field label={t('catalog.field')}>
            {(id) => (
              <select id={id} value={filters.field} onChange={(e) => update({ field: e.target.value })}>
                <option value="">{t('catalog.all')}</option>
                {fields.data?.items.map((f) => <option key={f.field} value={f.field}>{f.field} ({f.count})</option>)}
              </select>
            )}
          </Field>
          <Field label={t('catalog.level')}>
            {(id) => (
              <select id={id} value={filters.level} onChange={(e) => update({ level: e.target.value as CatalogFilters['level'] })}>
                <option value="">{t('catalog.all')}</option>
                {(['commune', 'province', 'central'] as const).map((l) => <option key={l} value={l}>{t(`level.${l}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('catalog.onlineLevel')}>
            {(id) => (
              <select id={id} value={filters.onlineLevel} onChange={(e) => update({ onlineLevel: e.target.value as CatalogFilters['onlineLevel'] })}>
                <option value="">{t('catalog.all')}</option>
                {(['full', 'partial', 'none'] as const).map((l) => <option key={l} value={l}>{t(`online.${l}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('catalog.unit')}>
            {(id) => (
              <select id={id} value={filters.unit} onChange={(e) => update({ unit: e.target.value })}>
                <option value="">{t('catalog.allUnits')}</option>
                {unitOptions(units.data).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            )}
          </Field>
          <label className="pub-check">
            <input type="checkbox" checked={filters.nonGeographic} onChange={(e) => update({ nonGeographic: e.target.checked })} />
            {t('catalog.nonGeographic')}
          </label>
          {filtered && <button type="button" className="link" onClick={() => setParams(new URLSearchParams())}>{t('catalog.clear')}</button>}
        </fieldset>
      </form>
      <ErrorBox error={fields.error} />
      {list.isPending ? <Loading /> : list.error ? <ErrorBox error={list.error} onRetry={() => void list.refetch()} /> : (
        <>
          <p className="pub-count" role="status">{t('catalog.found', { count: list.data.total })}</p>
          {list.data.items.length === 0 ? <Empty>{t('catalog.none')}</Empty> : (
            <table className={`pub-table pub-cards${list.isPlaceholderData ? ' pub-stale' : ''}`}>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.code')}</th>
                  <th scope="col">{t('catalog.name')}</th>
                  <th scope="col">{t('catalog.field')}</th>
                  <th scope="col">{t('catalog.level')}</th>
                  <th scope="col">{t('catalog.deadline')}</th>
                  <th scope="col">{t('catalog.online')}</th>
                  <th scope="col">{t('catalog.fee')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => {
                  const d = deadlineWords(p.legalDeadline);
                  return (
                    <tr key={p.id}>
                      <td className="pub-code" data-label={t('catalog.code')}>{p.code}</td>
                      <td data-label={t('catalog.name')}><Link to={`/public/procedures/${encodeURIComponent(p.id)}`}>{pick(p.name)}</Link></td>
                      <td data-label={t('catalog.field')}>{p.field}</td>
                      <td data-label={t('catalog.level')}>{t(`level.${p.level}`, { defaultValue: p.level })}</td>
                      <td data-label={t('catalog.deadline')}>{t(d.key, d.values)}</td>
                      <td data-label={t('catalog.online')}><Badge tone={p.onlineLevel === 'full' ? 'ok' : p.onlineLevel === 'partial' ? 'info' : 'neutral'}>{t(`online.${p.onlineLevel}`, { defaultValue: p.onlineLevel })}</Badge></td>
                      <td data-label={t('catalog.fee')}>{p.feeCount > 0 ? t('catalog.hasFee') : t('catalog.free')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {pages > 1 && (
            <nav className="pub-pager" aria-label={t('catalog.pages')}>
              <button type="button" disabled={filters.page <= 1} onClick={() => update({ page: filters.page - 1 })}>{t('catalog.prev')}</button>
              <span>{t('catalog.page', { page: formatNumber(filters.page), pages: formatNumber(pages) })}</span>
              <button type="button" disabled={filters.page >= pages} onClick={() => update({ page: filters.page + 1 })}>{t('catalog.next')}</button>
            </nav>
          )}
        </>
      )}
    </Page>
  );
}
