/**
 * `/designer/:procedureId/:version`: the visual editor. The definition lives in a reducer of
 * named commands (undo/redo); the canvas and the panels only render it and dispatch commands.
 */
import { useCallback, useMemo, useReducer, useRef, useState } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useReadableFit } from '../canvas/useReadableFit';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition, StepKind } from '@motcua/engine';
import '@xyflow/react/dist/style.css';
import { ErrorBox } from '../../../ui';
import { asDefinition, getProcedure, getVersion, type VersionStatus } from '../api';
import { Canvas } from '../canvas/Canvas';
import { copySteps, pasteOffset, type Clip } from '../model/clipboard';
import { editorReducer, initialEditorState, isDirty, type Command } from '../model/commands';
import { issueMarks, type DesignerIssue } from '../model/check';
import { referencesTo, type DeletedReference } from '../model/deletion';
import { actionEdgeIds, parseEdgeId } from '../model/graph';
import { NODE_HEIGHT, NODE_WIDTH, branchRowHeight, freeSpot, positionsOf } from '../model/layout';
import { locate, type Target } from '../model/pointer';
import { EMPTY_SELECTION, panelOf, selectedSteps, type Selection } from '../model/selection';
import type { SimState } from '../model/simulation';
import { DeleteStepsDialog } from './DeleteStepsDialog';
import { EditorHeader } from './EditorHeader';
import { EditorSide, type Tab } from './EditorSide';
import { PublishDialog } from '../../admin/PublishDialog';
import { MigrateDialog } from '../../admin/MigrateDialog';
import { Toolbar } from './Toolbar';
import { useCheck } from './useCheck';
import { linkIssues, linkedIds, withIssues, type LinkedProcedures } from '../model/links';
import { ApiError } from '../../../api/client';
import { useEditorKeys } from './useEditorKeys';
import { useDraftSaving } from './useDraftSaving';
import { useLeaveGuard } from './useLeaveGuard';
import { usePanelFocus } from './usePanelFocus';
import '../designer.css';

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
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [panel, setPanel] = useState<Target>({ kind: 'procedure', field: null });
  const [deleting, setDeleting] = useState<{ ids: string[]; refs: DeletedReference[] } | null>(null);
  const [tab, setTab] = useState<Tab>('properties');
  const [sim, setSim] = useState<SimState | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [migrating, setMigrating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const clip = useRef<Clip | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const { result: ownCheck, pending, checked } = useCheck(def);
  const linked = useLinkedProcedures(checked);
  const check = useMemo(() => withIssues(ownCheck, linkIssues(checked, linked)), [ownCheck, checked, linked]);
  const lang = i18n.language === 'en' ? 'en' : 'vi';

  const exec = useCallback((command: Command, mergeKey?: string) => {
    if (readOnly) return;
    dispatch({ type: 'exec', command, ...(mergeKey ? { mergeKey } : {}) });
    setNotice(null);
  }, [readOnly]);

  // --- selection ↔ panel
  const onSelect = useCallback((s: Selection) => {
    setSelection(s);
    const target = panelOf(s);
    if (target) setPanel(target);
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
    } else setSelection(EMPTY_SELECTION);
  }, [flow]);

  usePanelFocus(panelRef, pendingFocus, panel, tab === 'properties');

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
    const start = selected ? { x: selected.x, y: selected.y + NODE_HEIGHT + 60 } : (() => {
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      const p = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
      return { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y) };
    })();
    // A parallel step is drawn with its two branches listed, taller than the others.
    const position = freeSpot(def, start, { width: NODE_WIDTH, height: NODE_HEIGHT + (kind === 'parallel' ? 2 * branchRowHeight : 0) });
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
    const steps = selectedSteps(selection);
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
    setSelection(EMPTY_SELECTION);
    setPanel({ kind: 'procedure', field: null });
  }, [def, readOnly, selection, panel, exec]);

  const paste = useCallback((source: Clip | null) => {
    if (!source || readOnly) return;
    const before = new Set(def.steps.map((s) => s.id));
    const command: Command = { type: 'steps.paste', clip: source, offset: pasteOffset(def, source) };
    const next = editorReducer(state, { type: 'exec', command });
    dispatch({ type: 'exec', command });
    const ids = next.present.steps.filter((s) => !before.has(s.id)).map((s) => s.id);
    setSelection({ nodes: ids, edges: [] });
    if (ids.length === 1) setPanel({ kind: 'step', step: ids[0]!, field: null });
  }, [def, state, readOnly]);
  const copy = useCallback(() => {
    const ids = selectedSteps(selection);
    if (ids.length > 0) clip.current = copySteps(def, ids);
  }, [def, selection]);
  const duplicate = useCallback(() => {
    const ids = selectedSteps(selection);
    if (ids.length > 0) paste(copySteps(def, ids));
  }, [def, selection, paste]);

  const published = useCallback(() => {
    setPublishing(false);
    setCurrentStatus('published');
  }, []);
  const { save, saveNow, beforePublish, onPublished, newDraft, importFile } = useDraftSaving({
    procedureId, version, def, dirty, readOnly, dispatch, exec, setNotice, published,
  });

  useEditorKeys({
    save: saveNow,
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
    copy, paste: () => paste(clip.current), duplicate, remove: removeSelection, addStep,
  }, !readOnly);

  useLeaveGuard(dirty, t('editor.leave'));

  const last = state.past[state.past.length - 1];
  const next = state.future[0];

  return (
    <div className="designer-editor">
      <EditorHeader def={def} procedureId={procedureId} version={version} status={currentStatus} dirty={dirty} notice={notice}
        saving={save.isPending} creatingDraft={newDraft.isPending} onImport={(f) => void importFile(f)} onSave={saveNow}
        onPublish={() => setPublishing(true)} onNewDraft={() => newDraft.mutate()} />
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
        <EditorSide def={def} base={base} panel={panel} tab={tab} setTab={setTab} check={check} pending={pending} sim={sim} setSim={setSim}
          exec={exec} readOnly={readOnly} goTo={goTo} onIssue={goToIssue} panelRef={panelRef} onMigrate={() => setMigrating(true)} />
      </div>
      {deleting && (
        <DeleteStepsDialog def={def} ids={deleting.ids} refs={deleting.refs} onClose={() => setDeleting(null)} onConfirm={() => {
          exec({ type: 'steps.delete', ids: deleting.ids });
          setDeleting(null);
          setSelection(EMPTY_SELECTION);
          setPanel({ kind: 'procedure', field: null });
        }} />
      )}
      {migrating && base && (
        <MigrateDialog procedureId={procedureId} from={base.version} to={version} beforeRun={beforePublish} onClose={() => setMigrating(false)} />
      )}
      {publishing && (
        <PublishDialog procedure={{ id: procedureId, name }} version={version} inForce={inForce} blocked={check.errors}
          beforePublish={beforePublish} onPublished={onPublished} onClose={() => setPublishing(false)} />
      )}
    </div>
  );
}

/**
 * The procedures the checked definition's hand-offs name, as the server holds them: the version
 * in force (else the latest), `null` for an id it does not know, absent while loading or when
 * the request failed otherwise. Keyed by the debounced definition, so typing an id does not
 * fetch each prefix.
 */
function useLinkedProcedures(def: ProcedureDefinition): LinkedProcedures {
  const ids = useMemo(() => linkedIds(def), [def]);
  const results = useQueries({
    queries: ids.map((linkedId) => ({
      queryKey: ['procedures', 'designer', linkedId], queryFn: () => getProcedure(linkedId), retry: false, staleTime: 60_000,
    })),
  });
  const key = results.map((r) => `${r.status}:${r.dataUpdatedAt}`).join('|');
  return useMemo(() => {
    const out = new Map<string, ProcedureDefinition | null>();
    ids.forEach((linkedId, i) => {
      const r = results[i];
      if (r?.data) {
        const v = r.data.versions.find((x) => x.version === r.data.inForce?.version) ?? [...r.data.versions].sort((a, b) => b.version - a.version)[0];
        if (v) out.set(linkedId, asDefinition(v.definition));
      } else if (r?.error instanceof ApiError && r.error.status === 404) out.set(linkedId, null);
    });
    return out;
    // `key` stands for the query results, a new array each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids, key]);
}

