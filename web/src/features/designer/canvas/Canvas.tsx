/**
 * The React Flow canvas. It renders nodes and edges derived from the definition and turns
 * gestures into commands (move, connect, reconnect) by asking the modeling rules
 * (../model/rules.ts); it never edits the definition itself, nor decides what is allowed.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, applyEdgeChanges, applyNodeChanges, useNodesInitialized,
  type Connection, type EdgeChange, type NodeChange, type OnSelectionChangeParams,
} from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { ProcedureDefinition } from '@motcua/engine';
import type { Command } from '../model/commands';
import { definitionToGraph, type FlowEdge, type FlowNode, type GraphOptions } from '../model/graph';
import type { Selection } from '../model/selection';
import { canConnect, connectCommand, moveCommand, reconnectCommand } from '../model/rules';
import { nodeTypes } from './nodes';
import { edgeTypes } from './edges';
import { useReadableFit } from './useReadableFit';

export type { Selection } from '../model/selection';

interface Props {
  definition: ProcedureDefinition;
  options: Omit<GraphOptions, 'selected'>;
  selection: Selection;
  readOnly: boolean;
  onSelect: (s: Selection) => void;
  onCommand: (c: Command) => void;
  connectLabel: (targetKind: string) => { vi: string; en: string };
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function Canvas({ definition, options, selection, readOnly, onSelect, onCommand, connectLabel }: Props) {
  const { t } = useTranslation('designer');
  const selected = useMemo(() => ({ nodes: new Set(selection.nodes), edges: new Set(selection.edges) }), [selection]);
  const derived = useMemo(() => definitionToGraph(definition, { ...options, selected }), [definition, options, selected]);
  // Local copies let React Flow animate drags and selection between commands.
  const [nodes, setNodes] = useState<FlowNode[]>(derived.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(derived.edges);
  useEffect(() => setNodes(derived.nodes), [derived.nodes]);
  useEffect(() => setEdges(derived.edges), [derived.edges]);
  // The first view: fitted once the nodes have their sizes, readable rather than whole.
  const fit = useReadableFit();
  const measured = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (measured && !fitted.current) { fitted.current = true; fit(0); }
  }, [measured, fit]);
  const selectionRef = useRef(selection);
  selectionRef.current = selection;

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    // Removal goes through the editor's named command (Delete key), never straight to state.
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), ns));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setEdges((es) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), es));
  }, []);

  const onSelectionChange = useCallback(({ nodes: n, edges: e }: OnSelectionChangeParams) => {
    const next = { nodes: n.map((x) => x.id).sort(), edges: e.map((x) => x.id).sort() };
    const cur = selectionRef.current;
    if (!sameIds(next.nodes, [...cur.nodes].sort()) || !sameIds(next.edges, [...cur.edges].sort())) onSelect(next);
  }, [onSelect]);

  const dispatch = useCallback((c: Command | null) => { if (c) onCommand(c); }, [onCommand]);

  const onConnect = useCallback((c: Connection) => dispatch(connectCommand(definition, c, connectLabel, readOnly)),
    [definition, connectLabel, readOnly, dispatch]);

  const isValidConnection = useCallback((c: Connection | FlowEdge) => canConnect(definition, c), [definition]);

  const onReconnect = useCallback((old: FlowEdge, c: Connection) => dispatch(reconnectCommand({ ...old, ref: old.data?.ref }, c, readOnly)),
    [readOnly, dispatch]);

  const onNodeDragStop = useCallback((_: unknown, _node: FlowNode, dragged: FlowNode[]) => dispatch(moveCommand(dragged, readOnly)),
    [readOnly, dispatch]);

  return (
    <div className="canvas" role="region" aria-label={t('canvas.label')}>
      <div className="canvas-flow">
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onReconnect={onReconnect}
        isValidConnection={isValidConnection}
        onNodeDragStop={onNodeDragStop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Control', 'Meta']}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        // React Flow's own words, in the interface's language; its fit button shows the whole diagram, the toolbar's keeps it readable.
        ariaLabelConfig={{
          'controls.ariaLabel': t('canvas.controls'), 'controls.zoomIn.ariaLabel': t('canvas.zoomIn'), 'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
          'controls.fitView.ariaLabel': t('canvas.whole'), 'controls.interactive.ariaLabel': t('canvas.lock'), 'minimap.ariaLabel': t('canvas.minimap'),
          'handle.ariaLabel': t('canvas.handle'), 'node.a11yDescription.default': t('canvas.nodeHelp'), 'edge.a11yDescription.default': t('canvas.edgeHelp'),
        }}
      >
        <Background gap={16} />
        <Controls />
      </ReactFlow>
      </div>
      {/* Beside the drawing, not over it: the minimap never hides a step (the provider is the editor's). */}
      <div className="canvas-minimap">
        <MiniMap pannable zoomable ariaLabel={t('canvas.minimap')} style={{ width: 150, height: 100 }} />
      </div>
    </div>
  );
}
