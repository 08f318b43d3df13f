import { describe, expect, it } from 'vitest';
import { autoLayout, positionsOf } from './layout';
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
});
