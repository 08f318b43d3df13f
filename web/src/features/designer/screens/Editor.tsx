/**
 * `/designer/:procedureId/:version`: the visual editor. The definition lives in a reducer of
 * named commands (undo/redo); the canvas and the panels only render it and dispatch commands.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBlocker, useNavigate, useParams, Link } from 'react-router';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useReadableFit } from '../canvas/useReadableFit';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition, StepKind } from '@motcua/engine';
import '@xyflow/react/dist/style.css';
import { Badge, ErrorBox } from '../../../ui';
import { formatDate } from '../../../ui/format';
import { pick } from '../../../i18n';
import { asDefinition, createDraft, downloadJson, getProcedure, getVersion, readJsonFile, saveDraft, type VersionStatus } from '../api';
import { Canvas, type Selection } from '../canvas/Canvas';
import { copySteps, type Clip } from '../model/clipboard';
import { editorReducer, initialEditorState, isDirty, type Command } from '../model/commands';
import { issueMarks, type DesignerIssue } from '../model/check';
import { referencesTo, type DeletedReference } from '../model/deletion';
import { actionEdgeIds, parseEdgeId } from '../model/graph';
import { GLOBAL_NODE, NODE_HEIGHT, positionsOf } from '../model/layout';
import { locate, type Target } from '../model/pointer';
import type { SimState } from '../model/simulation';
import { ActionPanel } from '../panels/ActionPanel';
import { IssuesPanel } from '../panels/IssuesPanel';
import { MetricsPanel } from '../panels/MetricsPanel';
import { ProcedurePanel } from '../panels/ProcedurePanel';
import { SimulationPanel } from '../panels/SimulationPanel';
import { StepPanel } from '../panels/StepPanel';
import { DeleteStepsDialog } from './DeleteStepsDialog';
import { PublishDialog } from '../../admin/PublishDialog';
import { Toolbar } from './Toolbar';
import { useCheck } from './useCheck';
import { useEditorKeys } from './useEditorKeys';
import '../designer.css';

type Tab = 'properties' | 'issues' | 'metrics' | 'simulate';
const TABS: Tab[] = ['properties', 'issues', 'metrics', 'simulate'];

export function EditorScreen() {
  const { t } = useTranslation('designer');
  const params = useParams();
  const id = params.procedureId ?? '';
  const version = Number(params.version);
  const row = useQuery({ queryKey: ['procedures', 'designer', id, 'version', version], queryFn: () => getVersion(id, version) });
  const detail = useQuery({ queryKey: ['procedures', 'designer', id], queryFn: () => getProcedure(id) });
  if (row.isLoading) return <p role="status">{t('editor.loading')}</p>;
  if (row.error || !row.data) return <ErrorBox error={row.error} onRetry={() => void row.refetch()} />;
  // The version in force (or the latest published one before this) is what the diff compares with.
  const published = detail.data?.versions.filter((v) => v.status !== 'draft' && v.version !== version).sort((a, b) => b.version - a.version);
  const inForce = published?.find((v) => v.version === detail.data?.inForce?.version) ?? published?.[0];
  return (
    <ReactFlowProvider>
      <Editor
        key={`${id}/${version}`}
        procedureId={id}
        version={version}
        status={row.data.status}
        initial={asDefinition(row.data.definition)}
        base={inForce ? asDefinition(inForce.definition) : null}
        name={detail.data?.name ?? id}
        inForce={detail.data?.inForce?.version ?? null}
      />
    </ReactFlowProvider>
  );
}

function Editor({ procedureId, version, status, initial, base, name, inForce }: {
  procedureId: string; version: number; status: VersionStatus; initial: ProcedureDefinition; base: ProcedureDefinition | null;
  name: string; inForce: number | null;
}) {
  const { t, i18n } = useTranslation('designer');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const flow = useReactFlow();
  const fit = useReadableFit();
  const [state, dispatch] = useReducer(editorReducer, initial, initialEditorState);
  const def = state.present;
  // goTo reads the definition without being rebuilt on every edit.
  const defRef = useRef(def);
  defRef.current = def;
  const [currentStatus, setCurrentStatus] = useState(status);
  const readOnly = currentStatus !== 'draft';
  const dirty = isDirty(state);
  const [selection, setSelection] = useState<Selection>({ nodes: [], edges: [] });
  const [panel, setPanel] = useState<Target>({ kind: 'procedure', field: null });
  const [deleting, setDeleting] = useState<{ ids: string[]; refs: DeletedReference[] } | null>(null);
  const [tab, setTab] = useState<Tab>('properties');
  const [sim, setSim] = useState<SimState | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const clip = useRef<Clip | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const { result: check, pending } = useCheck(def);
  const lang = i18n.language === 'en' ? 'en' : 'vi';

  const exec = useCallback((command: Command, mergeKey?: string) => {
    if (readOnly) return;
    dispatch({ type: 'exec', command, ...(mergeKey ? { mergeKey } : {}) });
    setNotice(null);
  }, [readOnly]);

  // --- selection ↔ panel
  const onSelect = useCallback((s: Selection) => {
    setSelection(s);
    if (s.nodes.length === 1 && s.nodes[0] !== GLOBAL_NODE) setPanel({ kind: 'step', step: s.nodes[0]!, field: null });
    else if (s.nodes.length === 0 && s.edges.length === 1) {
      const ref = parseEdgeId(s.edges[0]!);
      if (ref?.kind === 'action') setPanel({ kind: 'action', step: ref.step, action: ref.action, field: null });
      else if (ref?.kind === 'next') setPanel({ kind: 'step', step: ref.step, field: 'next' });
    } else if (s.nodes.length === 0 && s.edges.length === 0) setPanel({ kind: 'procedure', field: null });
  }, []);

  const goTo = useCallback((target: Target) => {
    setTab('properties');
    setPanel(target);
    pendingFocus.current = target.kind === 'none' ? null : target.field ?? '';
    if (target.kind === 'step') {
      setSelection({ nodes: [target.step], edges: [] });
      void flow.fitView({ nodes: [{ id: target.step }], duration: 300, maxZoom: 1.1 });
    } else if (target.kind === 'action') {
      setSelection({ nodes: [], edges: actionEdgeIds(defRef.current, target.step, target.action) });
      if (target.step) void flow.fitView({ nodes: [{ id: target.step }], duration: 300, maxZoom: 1.1 });
    } else setSelection({ nodes: [], edges: [] });
  }, [flow]);

  // Focus the culprit field once its panel has rendered.
  useEffect(() => {
    if (pendingFocus.current === null || tab !== 'properties') return;
    const field = pendingFocus.current;
    pendingFocus.current = null;
    const root = panelRef.current;
    if (!root) return;
    const el = (field ? root.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"]`) : null) ?? root.querySelector<HTMLElement>('h2');
    if (!el) return;
    const focusable = el.matches('input,select,textarea,button') ? el : el.querySelector<HTMLElement>('input,select,textarea,button') ?? el;
    if (!focusable.matches('input,select,textarea,button')) focusable.setAttribute('tabindex', '-1');
    focusable.focus();
    focusable.scrollIntoView?.({ block: 'center' });
  }, [panel, tab]);

  const goToIssue = useCallback((issue: DesignerIssue) => goTo(locate(def, issue.path)), [def, goTo]);

  // --- graph options
  const marks = useMemo(() => issueMarks(def, check.issues), [def, check.issues]);
  const active = useMemo(() => new Set(sim?.snapshot.active.map((a) => a.step) ?? []), [sim]);
  const graphOptions = useMemo(() => ({
    lang: lang as 'vi' | 'en',
    words: { applicant: t('words.applicant'), system: t('words.system'), otherwise: t('words.otherwise'), generic: t('words.generic'), not: t('words.not'), days: t('words.days'), hours: t('words.hours') },
    stepMarks: marks.steps, edgeMarks: marks.edges, active,
  }), [lang, t, marks, active]);
  const connectLabel = useCallback((kind: string) => ({
    vi: i18n.getFixedT('vi', 'designer')(`connect.${kind}`), en: i18n.getFixedT('en', 'designer')(`connect.${kind}`),
  }), [i18n]);

  // --- editing actions
  const addStep = useCallback((kind: StepKind) => {
    const positions = positionsOf(def);
    const selected = selection.nodes.length === 1 ? positions[selection.nodes[0]!] : undefined;
    let position = selected ? { x: selected.x, y: selected.y + NODE_HEIGHT + 60 } : (() => {
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      const p = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
      return { x: Math.round(p.x - 105), y: Math.round(p.y) };
    })();
    const taken = Object.values(positions);
    while (taken.some((p) => Math.abs(p.x - position.x) < 40 && Math.abs(p.y - position.y) < 40)) position = { x: position.x + 30, y: position.y + 30 };
    const name = { vi: i18n.getFixedT('vi', 'designer')(`newStep.${kind}`), en: i18n.getFixedT('en', 'designer')(`newStep.${kind}`) };
    const before = new Set(def.steps.map((s) => s.id));
    const next = editorReducer(state, { type: 'exec', command: { type: 'step.add', kind, position, name } });
    if (readOnly || next === state) return;
    dispatch({ type: 'exec', command: { type: 'step.add', kind, position, name } });
    const added = next.present.steps.find((s) => !before.has(s.id));
    if (added) {
      setSelection({ nodes: [added.id], edges: [] });
      setPanel({ kind: 'step', step: added.id, field: null });
      setTab('properties');
    }
  }, [def, selection, flow, i18n, state, readOnly]);

  const removeSelection = useCallback(() => {
    const steps = selection.nodes.filter((n) => n !== GLOBAL_NODE);
    if (steps.length > 0) {
      // Actions and branches leading to these steps would go with them: list them and ask first.
      const refs = referencesTo(def, steps);
      if (refs.length > 0 && !readOnly) {
        setDeleting({ ids: steps, refs });
        return;
      }
      exec({ type: 'steps.delete', ids: steps });
    } else if (selection.edges.length > 0) {
      exec({ type: 'edges.delete', edges: selection.edges.map(parseEdgeId).filter((r): r is NonNullable<typeof r> => r !== null) });
    } else if (panel.kind === 'action') {
      exec({ type: 'edges.delete', edges: [{ kind: 'action', step: panel.step, action: panel.action, route: null }] });
    } else return;
    setSelection({ nodes: [], edges: [] });
    setPanel({ kind: 'procedure', field: null });
  }, [def, readOnly, selection, panel, exec]);

  const paste = useCallback((source: Clip | null) => {
    if (!source || readOnly) return;
    const before = new Set(def.steps.map((s) => s.id));
    const command: Command = { type: 'steps.paste', clip: source, offset: { x: 40, y: 40 } };
    const next = editorReducer(state, { type: 'exec', command });
    dispatch({ type: 'exec', command });
    const ids = next.present.steps.filter((s) => !before.has(s.id)).map((s) => s.id);
    setSelection({ nodes: ids, edges: [] });
    if (ids.length === 1) setPanel({ kind: 'step', step: ids[0]!, field: null });
  }, [def, state, readOnly]);
  const copy = useCallback(() => {
    const ids = selection.nodes.filter((n) => n !== GLOBAL_NODE);
    if (ids.length > 0) clip.current = copySteps(def, ids);
  }, [def, selection]);
  const duplicate = useCallback(() => {
    const ids = selection.nodes.filter((n) => n !== GLOBAL_NODE);
    if (ids.length > 0) paste(copySteps(def, ids));
  }, [def, selection, paste]);

  // --- saving and publishing
  const save = useMutation({
    mutationFn: async (definition: ProcedureDefinition) => ({ sent: definition, saved: await saveDraft(procedureId, version, definition) }),
    onSuccess: async ({ sent, saved }) => {
      dispatch({ type: 'saved', definition: sent });
      setNotice(saved.warnings.length > 0 ? t('editor.savedWarnings', { count: saved.warnings.length }) : t('editor.saved'));
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
    },
  });
  const saveNow = useCallback(() => { if (!readOnly && !save.isPending) save.mutate(def); }, [readOnly, save, def]);
  // The one publish dialog (shared with the catalog screen) saves unsaved edits first.
  const beforePublish = useCallback(async () => {
    if (!dirty) return;
    await saveDraft(procedureId, version, def);
    dispatch({ type: 'saved', definition: def });
  }, [dirty, procedureId, version, def]);
  const onPublished = useCallback((r: { version: number; effectiveFrom: string | null }) => {
    setPublishing(false);
    setCurrentStatus('published');
    setNotice(t('publish.done', { version: r.version, date: formatDate(r.effectiveFrom) }));
  }, [t]);
  const newDraft = useMutation({
    mutationFn: () => createDraft(procedureId, version),
    onSuccess: async (d) => {
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      await navigate(`/designer/${encodeURIComponent(procedureId)}/${d.version}`);
    },
  });

  const importFile = async (file: File) => {
    try {
      const parsed = asDefinition(await readJsonFile(file));
      // The slot decides id and version; the file brings everything else.
      exec({ type: 'definition.replace', definition: { ...parsed, id: procedureId, version } });
      setNotice(t('editor.importDone'));
    } catch (err) {
      setNotice(t('list.badJson', { error: err instanceof Error ? err.message : String(err) }));
    }
  };

  useEditorKeys({
    save: saveNow,
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    copy, paste: () => paste(clip.current), duplicate, remove: removeSelection, addStep,
  }, !readOnly);

  // --- leaving with unsaved changes
  useEffect(() => {
    if (!dirty) return undefined;
    const onUnload = (e: BeforeUnloadEvent) => { e.preventDefault(); };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(t('editor.leave'))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);

  // --- the panel for the current target (it may vanish after undo or delete)
  const step = panel.kind === 'step' ? def.steps.find((s) => s.id === panel.step) : undefined;
  const actionOwner = panel.kind === 'action' && panel.step !== null ? def.steps.find((s) => s.id === panel.step) : undefined;
  const action = panel.kind === 'action' ? (panel.step === null ? def.globalActions : actionOwner?.actions)?.find((a) => a.id === panel.action) : undefined;
  const last = state.past[state.past.length - 1];
  const next = state.future[0];

  return (
    <div className="designer-editor">
      <header className="editor-head">
        <Link to="/designer" className="back">← {t('editor.back')}</Link>
        <h1>{pick(def.catalog.name)} <small className="muted">{def.catalog.code} · {t('editor.version', { version })}</small></h1>
        <Badge tone={currentStatus === 'published' ? 'ok' : currentStatus === 'draft' ? 'info' : 'neutral'}>{t(`status.${currentStatus}`)}</Badge>
        {dirty ? <Badge tone="warn">● {t('editor.unsaved')}</Badge> : null}
        {notice && <span role="status" className="muted">{notice}</span>}
        <div className="head-actions">
          <label className="button">
            {t('editor.import')}
            <input type="file" accept="application/json,.json" className="sr-only" aria-label={t('editor.import')} disabled={readOnly}
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
          </label>
          <button type="button" onClick={() => downloadJson(def, `${procedureId}-v${version}.json`)}>{t('editor.export')}</button>
          {readOnly ? (
            <button type="button" className="primary" onClick={() => newDraft.mutate()} disabled={newDraft.isPending}>{t('editor.newDraft')}</button>
          ) : (
            <>
              <button type="button" onClick={saveNow} disabled={save.isPending || !dirty} aria-keyshortcuts="Control+S" title="Ctrl+S">
                {save.isPending ? t('editor.saving') : t('editor.save')}
              </button>
              <button type="button" className="primary" onClick={() => setPublishing(true)}>{t('editor.publish')}</button>
            </>
          )}
        </div>
      </header>
      {readOnly && <p className="readonly-note">{t('editor.readOnly', { version, status: t(`status.${currentStatus}`) })}</p>}
      <ErrorBox error={save.error ?? newDraft.error} />
      <Toolbar
        readOnly={readOnly} undoName={last?.command.type ?? null} redoName={next?.command.type ?? null}
        hasSelection={selection.nodes.length + selection.edges.length > 0 || panel.kind === 'action'}
        onAdd={addStep} onUndo={() => dispatch({ type: 'undo' })} onRedo={() => dispatch({ type: 'redo' })}
        onDelete={removeSelection} onDuplicate={duplicate} onLayout={() => exec({ type: 'layout.auto' })}
        onFit={() => fit()}
        errors={check.errors} warnings={check.warnings} onIssues={() => setTab('issues')}
      />
      <div className="editor-body">
        <Canvas definition={def} options={graphOptions} selection={selection} readOnly={readOnly} onSelect={onSelect} onCommand={exec} connectLabel={connectLabel} />
        <aside className="side" aria-label={t('tabs.label')}>
          <div className="tabs" role="tablist" aria-label={t('tabs.label')}>
            {TABS.map((k) => (
              <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={tab === k} aria-controls={`tabpanel-${k}`} onClick={() => setTab(k)}>
                {t(`tabs.${k}`)}{k === 'issues' && check.errors + check.warnings > 0 ? ` (${check.errors + check.warnings})` : ''}
              </button>
            ))}
          </div>
          <div className="side-scroll" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} ref={panelRef}>
            {tab === 'properties' && (
              step ? <StepPanel key={step.id} def={def} step={step} exec={exec} readOnly={readOnly} onSelectAction={(a) => goTo({ kind: 'action', step: step.id, action: a, field: null })} />
                : action ? <ActionPanel key={`${panel.kind === 'action' ? panel.step : ''}/${action.id}`} def={def} step={panel.kind === 'action' ? panel.step : null} action={action} exec={exec} readOnly={readOnly}
                  onSelectStep={(s) => goTo({ kind: 'step', step: s, field: null })} />
                  : <ProcedurePanel def={def} exec={exec} readOnly={readOnly} />
            )}
            {tab === 'issues' && <IssuesPanel issues={check.issues} pending={pending} onGo={goToIssue} />}
            {tab === 'metrics' && <MetricsPanel def={def} analysis={check.analysis} base={base} />}
            {tab === 'simulate' && <SimulationPanel def={def} sim={sim} setSim={setSim} />}
          </div>
        </aside>
      </div>
      {deleting && (
        <DeleteStepsDialog def={def} ids={deleting.ids} refs={deleting.refs} onClose={() => setDeleting(null)} onConfirm={() => {
          exec({ type: 'steps.delete', ids: deleting.ids });
          setDeleting(null);
          setSelection({ nodes: [], edges: [] });
          setPanel({ kind: 'procedure', field: null });
        }} />
      )}
      {publishing && (
        <PublishDialog procedure={{ id: procedureId, name }} version={version} inForce={inForce} blocked={check.errors}
          beforePublish={beforePublish} onPublished={onPublished} onClose={() => setPublishing(false)} />
      )}
    </div>
  );
}
