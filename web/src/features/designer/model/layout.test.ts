import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH, autoLayout, freeSpot, nodeHeight, positionsOf } from './layout';
import { applyCommand } from './commands';
import { newProcedureTemplate } from './template';
import { realBirth, small } from './fixtures';

describe('layout', () => {
  it('should place steps top to bottom along the flow', () => {
    const p = autoLayout(small());
    expect(p.intake!.y).toBeLessThan(p.review!.y);
    expect(p.review!.y).toBeLessThan(p.sign!.y);
    expect(p.sign!.y).toBeLessThan(p.issued!.y);
  });

  it('should keep stored positions and lay out only the missing steps', () => {
    const def = small();
    def.layout = { intake: { x: 1000, y: 1000 } };
    const p = positionsOf(def);
    expect(p.intake).toEqual({ x: 1000, y: 1000 });
    expect(Object.keys(p)).toHaveLength(5);
    expect(p.review!.y).toBeGreaterThan(1000);
  });

  it('should not overlap nodes of a real procedure', () => {
    const p = Object.values(autoLayout(realBirth()));
    for (const a of p) for (const b of p) {
      if (a !== b) expect(Math.abs(a.x - b.x) >= 200 || Math.abs(a.y - b.y) >= 70).toBe(true);
    }
  });

  it('should place a new step clear of every drawn step, even where the step below the selected one sits', () => {
    for (const def of [small(), realBirth()]) {
      const drawn = positionsOf(def);
      for (const s of def.steps) {
        // given a step selected and the place just below it (where the designer adds a step) likely taken
        const at = drawn[s.id]!;
        const start = { x: at.x, y: at.y + NODE_HEIGHT + 60 };
        // when a hand-off step is added there
        const spot = freeSpot(def, start);
        const next = applyCommand(def, { type: 'step.add', kind: 'handoff', position: spot, name: { vi: 'Chuyển xã khác', en: 'Hand off' } });
        // then its box keeps 30 px from every other step's box
        const added = next.steps.find((x) => !def.steps.some((y) => y.id === x.id))!;
        const p = positionsOf(next);
        const me = p[added.id]!;
        expect(me).toEqual(spot);
        for (const o of def.steps) {
          const q = p[o.id]!;
          const apart = me.x + NODE_WIDTH + 30 <= q.x || q.x + NODE_WIDTH + 30 <= me.x
            || me.y + NODE_HEIGHT + 30 <= q.y || q.y + nodeHeight(def, o.id) + 30 <= me.y;
          expect(apart, `${added.id} at ${JSON.stringify(me)} covers ${o.id} at ${JSON.stringify(q)}`).toBe(true);
        }
      }
    }
  });

  it('should keep the place asked for when it is free, and prefer the nearest free place below or to the right', () => {
    const def = small();
    const p = positionsOf(def);
    const far = { x: Math.max(...Object.values(p).map((q) => q.x)) + 1000, y: 0 };
    expect(freeSpot(def, far)).toEqual(far);
    // right on top of the review step: the nearest free place, never above-left when right or below is as near
    const review = p.review!;
    const spot = freeSpot(def, review);
    expect(spot).not.toEqual(review);
    expect(spot.x >= review.x || spot.y >= review.y).toBe(true);
  });

  it('should not drop a new step on an arrow: below a new procedure\'s intake, the arrow to the end runs where it would go', () => {
    // given a new procedure, whose intake's acceptance is an arrow straight down to the end step
    const def = newProcedureTemplate({ id: 'x', code: '1.000001', name: 'X' });
    const p = positionsOf(def);
    const arrowX = p.intake!.x + NODE_WIDTH / 2;
    // when a step is added just below the selected intake step
    const spot = freeSpot(def, { x: p.intake!.x, y: p.intake!.y + NODE_HEIGHT + 60 });
    // then it sits beside the arrow, clear of it and of its label
    expect(spot.x > arrowX + 60 || spot.x + NODE_WIDTH < arrowX - 60).toBe(true);
  });
});

