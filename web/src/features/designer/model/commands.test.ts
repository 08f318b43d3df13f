import { describe, expect, it } from 'vitest';
import { validateDefinition } from '@motcua/engine';
import { applyCommand, editorReducer, initialEditorState, isDirty, sameJson, type Command } from './commands';
import { small } from './fixtures';
import { newProcedureTemplate } from './template';
import { definitionToGraph, type GraphOptions } from './graph';

const OPTIONS: GraphOptions = { lang: 'vi', words: { days: 'ngày', hours: 'giờ' } as GraphOptions['words'] };

const name = { vi: 'Bước mới', en: 'New step' };

describe('commands', () => {
  it('should add a step with a fresh id, a usual role and a stored position', () => {
    const def = small();
    const next = applyCommand(def, { type: 'step.add', kind: 'task', position: { x: 5, y: 6 }, name });
    const added = next.steps[next.steps.length - 1]!;
    expect(added.id).toBe('task');
    expect(added.role).toBe('specialist');
    expect(next.layout?.task).toEqual({ x: 5, y: 6 });
    const again = applyCommand(next, { type: 'step.add', kind: 'task', position: { x: 0, y: 0 }, name });
    expect(again.steps[again.steps.length - 1]!.id).toBe('task2');
    expect(def.steps).toHaveLength(5);
  });

  it('should give a new final step the approved outcome and a new parallel step a valid branch', () => {
    let def = applyCommand(small(), { type: 'step.add', kind: 'final', position: { x: 0, y: 0 }, name });
    expect(def.steps.at(-1)!.outcome).toBe('approved');
    def = applyCommand(def, { type: 'step.add', kind: 'parallel', position: { x: 0, y: 0 }, name });
    def = applyCommand(def, { type: 'action.add', source: 'parallel', target: 'issued', label: name, intent: 'proceed' });
    expect(def.steps.at(-1)!.next).toBe('issued');
    expect(validateDefinition(def).issues.filter((i) => i.severity !== 'warning')).toEqual([]);
  });

  it('should draw a hand-off with the system action that resumes it, routed by the first arrow drawn out of it', () => {
    let def = applyCommand(small(), { type: 'step.add', kind: 'handoff', position: { x: 0, y: 0 }, name });
    expect(def.steps.at(-1)!.actions).toEqual([expect.objectContaining({ id: 'answered', role: 'system', intent: 'proceed' })]);
    // what is still missing is said at the step's hand-off: the linked procedure and its unit
    expect(validateDefinition(def).issues.filter((i) => i.severity !== 'warning').map((i) => i.code)).toEqual(['DEF_HANDOFF_NEEDS_TARGET']);
    def = applyCommand(def, { type: 'step.update', id: 'handoff', patch: { handoff: { procedure: 'xac-minh', unit: { expression: { var: 'inputs.previousCommune' }, kinds: ['commune'] } } } });
    expect(validateDefinition(def).issues.filter((i) => i.severity !== 'warning')).toEqual([]);
    def = applyCommand(def, { type: 'action.add', source: 'handoff', target: 'issued', label: name, intent: 'proceed' });
    expect(def.steps.at(-1)!.actions).toEqual([expect.objectContaining({ id: 'answered', target: 'issued' })]);
    // a second arrow is an ordinary action of its own
    def = applyCommand(def, { type: 'action.add', source: 'handoff', target: 'refused', label: name, intent: 'proceed' });
    expect(def.steps.at(-1)!.actions!.map((a) => a.target)).toEqual(['issued', 'refused']);
  });

  it('should delete a step with the actions and routes leading to it', () => {
    const next = applyCommand(small(), { type: 'steps.delete', ids: ['refused'] });
    expect(next.steps.map((s) => s.id)).not.toContain('refused');
    expect(next.steps[0]!.actions!.map((a) => a.id)).toEqual(['accept']);
  });

  it('should keep every other step where it was drawn when one is deleted (no whole-diagram re-layout)', () => {
    const def = { ...small(), layout: undefined };
    const before = definitionToGraph(def, OPTIONS).nodes;
    const next = applyCommand(def, { type: 'steps.delete', ids: ['review'] });
    const after = new Map(definitionToGraph(next, OPTIONS).nodes.map((n) => [n.id, n.position]));
    for (const n of before.filter((x) => x.id !== 'review')) expect(after.get(n.id), n.id).toEqual(n.position);
    // and moving one step leaves the others in place too
    const moved = applyCommand(def, { type: 'steps.move', positions: { intake: { x: 999, y: 999 } } });
    const placed = new Map(definitionToGraph(moved, OPTIONS).nodes.map((n) => [n.id, n.position]));
    for (const n of before.filter((x) => x.id !== 'intake')) expect(placed.get(n.id), n.id).toEqual(n.position);
  });

  it('should move the initial step to the first remaining one when it is deleted', () => {
    const next = applyCommand(small(), { type: 'steps.delete', ids: ['intake'] });
    expect(next.initial).toBe('review');
  });

  it('should rename a step and every reference to it', () => {
    const next = applyCommand(small(), { type: 'step.rename', from: 'review', to: 'check' });
    expect(next.steps[1]!.id).toBe('check');
    expect(next.steps[0]!.actions![0]!.target).toBe('check');
    expect(next.steps[2]!.actions![1]!.target).toBe('check');
    expect(validateDefinition(next).ok).toBe(true);
  });

  it('should refuse to rename a step onto an existing id', () => {
    const def = small();
    expect(applyCommand(def, { type: 'step.rename', from: 'review', to: 'sign' })).toBe(def);
  });

  it('should connect two steps with a labelled proceed action and never from a final step', () => {
    const def = small();
    const next = applyCommand(def, { type: 'action.add', source: 'review', target: 'refused', label: { vi: 'Kết thúc', en: 'End' }, intent: 'proceed' });
    expect(next.steps[1]!.actions!.at(-1)).toEqual({ id: 'toRefused', label: { vi: 'Kết thúc', en: 'End' }, intent: 'proceed', target: 'refused' });
    expect(applyCommand(def, { type: 'action.add', source: 'issued', target: 'review', label: name, intent: 'proceed' })).toBe(def);
  });

  it('should name the first forward action of an intake step `accept`, the desk\'s one-click acceptance', () => {
    const def = newProcedureTemplate({ id: 'x', code: '1.000001', name: 'X' });
    def.steps[0]!.actions = []; // an intake step drawn with no arrow out of it yet
    const once = applyCommand(def, { type: 'action.add', source: 'intake', target: 'done', label: name, intent: 'proceed' });
    expect(once.steps[0]!.actions!.map((a) => a.id)).toEqual(['accept']);
    const twice = applyCommand(once, { type: 'action.add', source: 'intake', target: 'done', label: name, intent: 'proceed' });
    expect(twice.steps[0]!.actions!.map((a) => a.id)).toEqual(['accept', 'toDone']);
  });

  it('should retarget one route of a conditional action', () => {
    const next = applyCommand(small(), { type: 'edge.retarget', edge: { kind: 'action', step: 'review', action: 'submit', route: 1 }, target: 'refused' });
    expect(next.steps[1]!.actions![0]!.target).toEqual([{ when: { '==': [{ var: 'data.urgent' }, true] }, target: 'sign' }, { target: 'refused' }]);
  });

  it('should delete an action edge, and a single route of a conditional one', () => {
    let next = applyCommand(small(), { type: 'edges.delete', edges: [{ kind: 'action', step: 'sign', action: 'back', route: null }] });
    expect(next.steps[2]!.actions!.map((a) => a.id)).toEqual(['approve']);
    next = applyCommand(next, { type: 'edges.delete', edges: [{ kind: 'action', step: 'review', action: 'submit', route: 0 }] });
    expect(next.steps[1]!.actions![0]!.target).toEqual([{ target: 'sign' }]);
  });

  it('should remove keys a patch sets to undefined', () => {
    const next = applyCommand(small(), { type: 'step.update', id: 'review', patch: { sla: undefined } });
    expect('sla' in next.steps[1]!).toBe(false);
  });

  it('should lay out every step when asked', () => {
    const next = applyCommand(small(), { type: 'layout.auto' });
    expect(Object.keys(next.layout ?? {}).sort()).toEqual(['intake', 'issued', 'refused', 'review', 'sign']);
  });
});

describe('editorReducer', () => {
  const add: Command = { type: 'step.add', kind: 'task', position: { x: 0, y: 0 }, name };

  it('should undo and redo a command exactly', () => {
    const s0 = initialEditorState(small());
    const s1 = editorReducer(s0, { type: 'exec', command: add });
    expect(isDirty(s1)).toBe(true);
    const s2 = editorReducer(s1, { type: 'undo' });
    expect(s2.present).toBe(s0.present);
    expect(isDirty(s2)).toBe(false);
    expect(s2.future[0]!.command.type).toBe('step.add');
    const s3 = editorReducer(s2, { type: 'redo' });
    expect(s3.present).toBe(s1.present);
  });

  it('should merge typing in one field into one undo step', () => {
    let s = initialEditorState(small());
    for (const vi of ['T', 'Th', 'Thẩm']) {
      s = editorReducer(s, { type: 'exec', command: { type: 'step.update', id: 'review', patch: { name: { vi } } }, mergeKey: 'review/name' });
    }
    expect(s.past).toHaveLength(1);
    expect(s.present.steps[1]!.name.vi).toBe('Thẩm');
    expect(editorReducer(s, { type: 'undo' }).present.steps[1]!.name.vi).toBe('Thẩm định');
  });

  it('should drop the redo stack after a new command and ignore commands that change nothing', () => {
    let s = editorReducer(initialEditorState(small()), { type: 'exec', command: add });
    s = editorReducer(s, { type: 'undo' });
    const same = editorReducer(s, { type: 'exec', command: { type: 'step.rename', from: 'review', to: 'sign' } });
    expect(same).toBe(s);
    s = editorReducer(s, { type: 'exec', command: { type: 'steps.delete', ids: ['refused'] } });
    expect(s.future).toEqual([]);
  });

  it('should stay dirty when edits were made after the saved copy was sent', () => {
    let s = editorReducer(initialEditorState(small()), { type: 'exec', command: add });
    const sent = s.present;
    s = editorReducer(s, { type: 'exec', command: { type: 'steps.delete', ids: ['refused'] } });
    s = editorReducer(s, { type: 'saved', definition: sent });
    expect(isDirty(s)).toBe(true);
  });

  it('should not count a command that rewrites a value unchanged as an edit (no undo entry, not unsaved)', () => {
    // given a loaded draft whose review step has a branching action
    const s0 = initialEditorState(small());
    const submit = s0.present.steps[1]!.actions![0]!;
    // when panels commit values equal to the present ones (as opening an action or leaving a field does)
    const commands: Command[] = [
      { type: 'action.update', step: 'review', action: 'submit', patch: { target: JSON.parse(JSON.stringify(submit.target)) as typeof submit.target } },
      { type: 'step.update', id: 'review', patch: { name: { vi: 'Thẩm định' } } },
    ];
    for (const command of commands) {
      const s1 = editorReducer(s0, { type: 'exec', command });
      // then the state is the same object: nothing to undo, nothing unsaved
      expect(s1).toBe(s0);
      expect(isDirty(s1)).toBe(false);
    }
  });
});

describe('sameJson', () => {
  it('should compare JSON values structurally, ignoring key order and undefined keys', () => {
    expect(sameJson({ a: [1, { b: 'x' }], c: undefined }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: {} }, { a: [] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
