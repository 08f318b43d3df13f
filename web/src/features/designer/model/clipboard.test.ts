import { describe, expect, it } from 'vitest';
import { validateDefinition } from '@motcua/engine';
import { copySteps, pasteOffset, pasteSteps } from './clipboard';
import { NODE_HEIGHT, NODE_WIDTH, positionsOf } from './layout';
import { small } from './fixtures';

describe('copy and paste', () => {
  it('should paste copies with fresh ids, internal targets following the copies', () => {
    const def = small();
    const clip = copySteps(def, ['review', 'sign']);
    const { definition, ids } = pasteSteps(def, clip, { x: 40, y: 40 });
    expect(ids).toEqual(['review2', 'sign2']);
    const sign2 = definition.steps.find((s) => s.id === 'sign2')!;
    expect(sign2.actions!.find((a) => a.id === 'back')!.target).toBe('review2');
    expect(sign2.actions!.find((a) => a.id === 'approve')!.target).toBe('issued');
    const review2 = definition.steps.find((s) => s.id === 'review2')!;
    expect(review2.actions![0]!.target).toEqual([{ when: { '==': [{ var: 'data.urgent' }, true] }, target: 'sign2' }, { target: 'sign2' }]);
    expect(definition.layout!.review2!.x).toBe(clip.positions.review!.x + 40);
    expect(validateDefinition(definition).ok).toBe(true);
  });

  it('should paste where the copies cover no step, twice in a row too', () => {
    const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
      a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + NODE_HEIGHT && b.y < a.y + NODE_HEIGHT;
    let def = small();
    const clip = copySteps(def, ['review', 'sign']);
    for (let round = 0; round < 2; round++) {
      const before = positionsOf(def);
      const { definition, ids } = pasteSteps(def, clip, pasteOffset(def, clip));
      const after = positionsOf(definition);
      for (const id of ids) {
        for (const [other, p] of Object.entries(before)) expect(overlaps(after[id]!, p), `${id} over ${other}`).toBe(false);
      }
      // The copies keep their arrangement.
      expect(after[ids[1]!]!.x - after[ids[0]!]!.x).toBe(clip.positions.sign!.x - clip.positions.review!.x);
      def = definition;
    }
  });

  it('should keep the clip apart from later edits of the definition', () => {
    const def = small();
    const clip = copySteps(def, ['review']);
    def.steps[1]!.name.vi = 'đổi';
    expect(clip.steps[0]!.name.vi).toBe('Thẩm định');
  });

  it('should give pasted parallel branch steps fresh ids too', () => {
    const def = small();
    def.steps.push({ id: 'par', kind: 'parallel', name: { vi: 'Song song' }, next: 'issued', branches: [
      { id: 'b1', name: { vi: 'A' }, initial: 'x1', steps: [{ id: 'x1', kind: 'final', name: { vi: 'x' } }] },
    ] });
    const { definition } = pasteSteps(def, copySteps(def, ['par']), { x: 0, y: 0 });
    const copy = definition.steps.at(-1)!;
    expect(copy.id).toBe('par2');
    expect(copy.branches![0]!.initial).toBe('x2');
    expect(copy.branches![0]!.steps[0]!.id).toBe('x2');
  });
});
