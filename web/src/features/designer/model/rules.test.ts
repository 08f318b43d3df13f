import { describe, expect, it } from 'vitest';
import { applyCommand } from './commands';
import { edgeId, type EdgeRef } from './graph';
import { GLOBAL_NODE } from './layout';
import { small } from './fixtures';
import { canConnect, connectCommand, intentOf, moveCommand, reconnectCommand } from './rules';

const label = (kind: string) => ({ vi: `Đến ${kind}`, en: `To ${kind}` });

describe('designer modeling rules', () => {
  it('should refuse edges out of a final step and to or from the global actions, and allow the rest', () => {
    // given the small procedure (intake → review → sign → issued | refused)
    const def = small();
    // then a final step has no way out, the global node takes no drawn edge, other steps connect freely
    expect(canConnect(def, { source: 'issued', target: 'review' })).toBe(false);
    expect(canConnect(def, { source: GLOBAL_NODE, target: 'review' })).toBe(false);
    expect(canConnect(def, { source: 'review', target: GLOBAL_NODE })).toBe(false);
    expect(canConnect(def, { source: 'review', target: 'issued' })).toBe(true);
    expect(canConnect(def, { source: 'sign', target: 'intake' })).toBe(true);
  });

  it('should name the intent of a new action by where it leads', () => {
    expect(intentOf('wait-citizen')).toBe('supplement');
    expect(intentOf('intake')).toBe('rework');
    expect(intentOf('task')).toBe('proceed');
    expect(intentOf('final')).toBe('proceed');
    expect(intentOf(undefined)).toBe('proceed');
  });

  it('should turn a connection into an action labelled by the target kind, which the command stack applies', () => {
    // given the small procedure
    const def = small();
    // when review is connected back to intake
    const command = connectCommand(def, { source: 'review', target: 'intake' }, label);
    // then it becomes a rework action labelled for an intake step
    expect(command).toEqual({ type: 'action.add', source: 'review', target: 'intake', label: label('intake'), intent: 'rework' });
    const next = applyCommand(def, command!);
    expect(next.steps.find((s) => s.id === 'review')!.actions!.some((a) => a.target === 'intake' && a.intent === 'rework')).toBe(true);
  });

  it('should do nothing for a connection that is half made or on a read-only canvas', () => {
    const def = small();
    expect(connectCommand(def, { source: 'review', target: null }, label)).toBeNull();
    expect(connectCommand(def, { source: undefined, target: 'sign' }, label)).toBeNull();
    expect(connectCommand(def, { source: 'review', target: 'sign' }, label, true)).toBeNull();
  });

  it('should retarget an edge only when its source stays and its target changes', () => {
    const ref: EdgeRef = { kind: 'action', step: 'intake', action: 'accept', route: null };
    const edge = { source: 'intake', target: 'review', ref };
    // when the end is moved to another step: the edge is retargeted
    expect(reconnectCommand(edge, { source: 'intake', target: 'sign' })).toEqual({ type: 'edge.retarget', edge: ref, target: 'sign' });
    // when the source moves, the end goes back where it was, or the edge has no reference: nothing
    expect(reconnectCommand(edge, { source: 'review', target: 'sign' })).toBeNull();
    expect(reconnectCommand(edge, { source: 'intake', target: 'review' })).toBeNull();
    expect(reconnectCommand({ ...edge, ref: undefined }, { source: 'intake', target: 'sign' })).toBeNull();
    expect(reconnectCommand(edge, { source: 'intake', target: 'sign' }, true)).toBeNull();
    expect(edgeId(ref)).toContain('accept');
  });

  it('should record dragged steps on whole pixels, and nothing on a read-only canvas', () => {
    const dragged = [{ id: 'review', position: { x: 10.4, y: 20.6 } }, { id: 'sign', position: { x: -3.5, y: 0 } }];
    expect(moveCommand(dragged)).toEqual({ type: 'steps.move', positions: { review: { x: 10, y: 21 }, sign: { x: -3, y: 0 } } });
    expect(moveCommand(dragged, true)).toBeNull();
    expect(moveCommand([])).toBeNull();
  });
});
