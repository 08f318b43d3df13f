import { describe, expect, it } from 'vitest';
import { edgeId } from './graph';
import { GLOBAL_NODE } from './layout';
import { small } from './fixtures';
import { panelOf, selectedSteps, targetOf } from './selection';

describe('editor selection', () => {
  it('should open the panel of one step, of one edge\'s action or next, of the procedure when nothing is selected', () => {
    const action = edgeId({ kind: 'action', step: 'intake', action: 'accept', route: null });
    const next = edgeId({ kind: 'next', step: 'review', route: null });
    expect(panelOf({ nodes: ['review'], edges: [] })).toEqual({ kind: 'step', step: 'review', field: null });
    expect(panelOf({ nodes: [], edges: [action] })).toEqual({ kind: 'action', step: 'intake', action: 'accept', field: null });
    expect(panelOf({ nodes: [], edges: [next] })).toEqual({ kind: 'step', step: 'review', field: 'next' });
    expect(panelOf({ nodes: [], edges: [] })).toEqual({ kind: 'procedure', field: null });
  });

  it('should leave the panel as it is for several things or the global actions\' node', () => {
    expect(panelOf({ nodes: ['review', 'sign'], edges: [] })).toBeNull();
    expect(panelOf({ nodes: [GLOBAL_NODE], edges: [] })).toBeNull();
    expect(panelOf({ nodes: [], edges: ['not an edge id'] })).toBeNull();
    expect(selectedSteps({ nodes: [GLOBAL_NODE, 'review'], edges: [] })).toEqual(['review']);
  });

  it('should find the step or action a panel names, and nothing once it is gone', () => {
    const def = small();
    expect(targetOf(def, { kind: 'step', step: 'review', field: null }).step?.id).toBe('review');
    expect(targetOf(def, { kind: 'action', step: 'sign', action: 'back', field: null }).action?.target).toBe('review');
    expect(targetOf(def, { kind: 'step', step: 'gone', field: null })).toEqual({});
    expect(targetOf(def, { kind: 'action', step: null, action: 'gone', field: null })).toEqual({});
    expect(targetOf(def, { kind: 'procedure', field: null })).toEqual({});
  });
});
