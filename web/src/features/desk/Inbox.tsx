/** The inbox: views as tabs with counts, search and filters, a table of dossiers, bulk actions. Live through ['dossiers', …]. */
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { Badge, Empty, ErrorBox, Loading, Page } from '../../ui';
import { Deadline, roleName } from './Deadline';
import { formatDate, formatNumber } from '../../ui/format';
import { pick } from '../../i18n';
import { PAGE_SIZE, useBoxCounts, useInbox, useProceduresInForce, useStepNames } from './api';
import { BOXES, filterFromSearch, filterToSearch, handlersOf, statusKey, type InboxFilter } from './logic';
import { saveTrail } from './trail';
import { BulkDialog } from './BulkDialog';
import type { InboxItem } from './types';
import './desk.css';
import { OnlineAnswerButtons, OnlineAnswerDialog, waitsOnlineAcceptance, type OnlineAnswerKind } from './OnlineAnswer';

export function Inbox() {
  const { t } = useTranslation('desk');
  const { hasRole, unitsFor } = useAuth();
  const [params, setParams] = useSearchParams();
  const filter = filterFromSearch(params);
  const navigate = useNavigate();
  const set = (change: Partial<InboxFilter>) => setParams(filterToSearch({ ...filter, page: 1, ...change }), { replace: true });

  const list = useInbox(filter);
  const counts = useBoxCounts(filter);
  const procedures = useProceduresInForce();
  const units = unitsFor(['desk', 'specialist', 'leader']);
  const items = list.data?.items ?? [];
  // The dossier page offers the next dossier of this very list after an action.
  const trailIds = items.map((i) => i.id).join(' ');
  useEffect(() => {
    if (list.data) saveTrail({ search: params.toString(), ids: trailIds ? trailIds.split(' ') : [] });
  }, [trailIds, list.data, params]);
  const stepNames = useStepNames(items.map((i) => i.procedureId));
  const procedureName = useMemo(() => new Map((procedures.data ?? []).map((p) => [p.id, p.name])), [procedures.data]);

  // Typing searches after a short pause, not at every key.
  const [q, setQ] = useState(filter.q);
  useEffect(() => { setQ(filter.q); }, [filter.q]);
  useEffect(() => {
    if (q === filter.q) return;
    const timer = setTimeout(() => set({ q }), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text restarts the pause
  }, [q]);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  // The inbox's own answer to an online dossier: the form open, then what came of it.
  const [answering, setAnswering] = useState<{ item: InboxItem; kind: OnlineAnswerKind } | null>(null);
  const [answer, setAnswer] = useState<{ notice?: string; error?: unknown } | null>(null);
  // A selection belongs to the list it was made in.
  const listKey = `${filter.box}|${filter.q}|${filter.procedureId}|${filter.unit}|${filter.channel}|${filter.page}`;
  useEffect(() => { setSelected(new Set()); }, [listKey]);
  const visibleSelected = items.filter((i) => selected.has(i.id)).map((i) => i.id);
  const allSelected = items.length > 0 && visibleSelected.length === items.length;
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const filtered = filter.q !== '' || filter.procedureId !== '' || filter.unit !== '' || filter.channel !== '';

  const stepLabel = (item: InboxItem) => item.steps.map((s) => pick(s.name ?? stepNames.get(item.procedureId)?.get(s.step)) || s.step).join(', ');

  // The ARIA tab pattern: arrows, Home and End move between the views; Tab goes to the panel.
  const moveTab = (e: React.KeyboardEvent<HTMLButtonElement>, box: (typeof BOXES)[number]) => {
    const at = BOXES.indexOf(box);
    const to = e.key === 'ArrowRight' ? (at + 1) % BOXES.length : e.key === 'ArrowLeft' ? (at - 1 + BOXES.length) % BOXES.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? BOXES.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    const next = BOXES[to];
    if (!next) return;
    set({ box: next });
    document.getElementById(`inbox-tab-${next}`)?.focus();
  };

  return (
    <Page
      title={t('inbox.title')}
      actions={hasRole('desk') ? <Link className="button primary" to="/dossiers/new">{t('inbox.newDossier')}</Link> : null}
    >
      <div className="tabs" role="tablist" aria-label={t('inbox.views')}>
        {BOXES.map((box) => (
          <button key={box} type="button" role="tab" id={`inbox-tab-${box}`} aria-controls="inbox-panel" aria-selected={filter.box === box}
            tabIndex={filter.box === box ? 0 : -1} onClick={() => set({ box })} onKeyDown={(e) => moveTab(e, box)}>
            {t(`inbox.box.${box}`)}
            {counts[box] !== undefined && <span className={`count${box === 'overdue' && (counts[box] ?? 0) > 0 ? ' bad' : ''}`}> ({formatNumber(counts[box])})</span>}
          </button>
        ))}
      </div>

      <div role="tabpanel" id="inbox-panel" aria-labelledby={`inbox-tab-${filter.box}`}>
      <form className="row inbox-filters" role="search" onSubmit={(e) => { e.preventDefault(); set({ q }); }}>
        <label className="inline">
          <span>{t('inbox.search')}</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} size={28} />
        </label>
        <label className="inline">
          <span>{t('inbox.procedure')}</span>
          <select value={filter.procedureId} onChange={(e) => set({ procedureId: e.target.value })} className="procedure-select">
            <option value="">{t('inbox.anyProcedure')}</option>
            {(procedures.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.code} — {pick(p.name)}</option>)}
          </select>
        </label>
        <label className="inline">
          <span>{t('inbox.channel')}</span>
          <select value={filter.channel} onChange={(e) => set({ channel: e.target.value as InboxFilter['channel'] })}>
            <option value="">{t('inbox.anyChannel')}</option>
            {(['direct', 'online', 'postal'] as const).map((c) => <option key={c} value={c}>{t(`common:channel.${c}`)}</option>)}
          </select>
        </label>
        {units.length > 1 && (
          <label className="inline">
            <span>{t('inbox.unit')}</span>
            <select value={filter.unit} onChange={(e) => set({ unit: e.target.value })}>
              <option value="">{t('inbox.anyUnit')}</option>
              {units.map((u) => <option key={u} value={u}>{u}</option>)}
            </select>
          </label>
        )}
        {filtered && <button type="button" className="link" onClick={() => { setQ(''); set({ q: '', procedureId: '', unit: '', channel: '' }); }}>{t('inbox.clear')}</button>}
        <span className="muted grow" aria-live="polite">{list.data ? t('inbox.total', { count: list.data.total }) : ''}</span>
      </form>

      {visibleSelected.length > 0 && (
        <div className="bulk-bar row" role="region" aria-label={t('bulk.act')}>
          <strong>{t('bulk.selected', { count: visibleSelected.length })}</strong>
          <button type="button" className="primary" onClick={() => setBulkOpen(true)}>{t('bulk.act')}</button>
          <button type="button" onClick={() => setSelected(new Set())}>{t('bulk.clear')}</button>
        </div>
      )}

      {answer?.notice && <p className="notice ok" role="status">{answer.notice}</p>}
      <ErrorBox error={answer?.error ?? null} />
      <ErrorBox error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending ? <Loading /> : items.length === 0 ? <Empty>{t('inbox.empty')}</Empty> : (
        <div className="table-wrap">
          <table className="inbox">
            <thead>
              <tr>
                <th className="check">
                  <input type="checkbox" aria-label={t('inbox.selectAll')} checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))} />
                </th>
                <th>{t('inbox.col.code')}</th>
                <th>{t('inbox.col.procedure')}</th>
                <th>{t('inbox.col.applicant')}</th>
                <th>{t('inbox.col.step')}</th>
                <th>{t('inbox.col.handler')}</th>
                <th>{t('inbox.col.received')}</th>
                <th>{t('inbox.col.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const due = item.dueAt;
                const name = pick(procedureName.get(item.procedureId));
                return (
                  <tr key={item.id} className={`clickable${selected.has(item.id) ? ' selected' : ''}`} onClick={() => void navigate(`/dossiers/${encodeURIComponent(item.id)}`)}>
                    <td className="check" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" aria-label={t('inbox.selectOne', { code: item.id })} checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                    </td>
                    <td className="code">
                      <Link to={`/dossiers/${encodeURIComponent(item.id)}`} onClick={(e) => e.stopPropagation()}>{item.id}</Link>
                      <div className="muted small">{t(`common:channel.${item.channel}`)}</div>
                    </td>
                    <td className="procedure" title={name}>
                      <span className="clamp">{name || item.procedureCode}</span>
                      <div className="muted small">{item.procedureCode} · {item.field}</div>
                    </td>
                    <td>{item.applicantName}</td>
                    <td>{item.closedAt ? <Badge>{t(`common:status.${statusKey(item.status, item.outcome)}`)}</Badge> : stepLabel(item)}</td>
                    <td>{handlersOf(item, (role) => roleName(t, role)) || '—'}</td>
                    <td className="nowrap">
                      {item.receivedAt ? formatDate(item.receivedAt) : <Badge tone="info">{t('inbox.notAccepted')}</Badge>}
                      {/* An online dossier waiting at intake: accepted in one click (slip 01, clock started), or a supplement asked (slip 02) or refused (slip 03) in one form. */}
                      {waitsOnlineAcceptance(item) && (
                        <OnlineAnswerButtons item={item} onAnswer={(kind) => { setAnswer(null); setAnswering({ item, kind }); }}
                          onAccepted={(error) => setAnswer(error ? { error } : { notice: t('online.accepted', { code: item.id }) })} />
                      )}
                    </td>
                    <td className="nowrap">
                      <div>{formatDate(due ?? item.closedAt)}</div>
                      <Deadline dueAt={due} progress={item.progress} closed={item.closedAt !== null} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {pages > 1 && (
        <nav className="row pager" aria-label={t('inbox.page', { page: filter.page, pages })}>
          <button type="button" disabled={filter.page <= 1} onClick={() => set({ page: filter.page - 1 })}>{t('inbox.prev')}</button>
          <span>{t('inbox.page', { page: filter.page, pages })}</span>
          <button type="button" disabled={filter.page >= pages} onClick={() => set({ page: filter.page + 1 })}>{t('inbox.next')}</button>
        </nav>
      )}

      </div>
      {answering && (
        <OnlineAnswerDialog item={answering.item} kind={answering.kind}
          onClose={(notice) => { setAnswering(null); if (notice) setAnswer({ notice }); }} />
      )}
      {bulkOpen && <BulkDialog ids={visibleSelected} onClose={(done) => { setBulkOpen(false); if (done) setSelected(new Set()); }} />}
    </Page>
  );
}
