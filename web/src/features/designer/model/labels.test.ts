import { describe, expect, it } from 'vitest';
import { bezierMiddle, labelBox, placeLabels } from './labels';
import { overlaps } from './viewport';

describe('edge labels', () => {
  it('should leave a label with room at the middle of its edge', () => {
    const at = placeLabels([{ id: 'a', text: 'Trình', from: { x: 0, y: 0 }, to: { x: 0, y: 200 } }], []);
    expect(at.get('a')).toEqual({ dx: 0, dy: 0 });
  });

  it('should move apart the labels of two actions between the same steps (and off the steps)', () => {
    const from = { x: 100, y: 78 };
    const to = { x: 100, y: 228 };
    const nodes = [{ x: 0, y: 0, width: 210, height: 78 }, { x: 0, y: 228, width: 210, height: 78 }];
    const labels = [
      { id: 'approve', text: 'Trình phê duyệt', from, to },
      { id: 'back', text: 'Trả lại để xử lý lại', from, to },
    ];
    const at = placeLabels(labels, nodes);
    const boxes = labels.map((l) => {
      const o = at.get(l.id)!;
      return labelBox(l.text, { x: (from.x + to.x) / 2 + o.dx, y: (from.y + to.y) / 2 + o.dy });
    });
    expect(overlaps(boxes[0]!, boxes[1]!)).toBe(false);
    for (const b of boxes) for (const n of nodes) expect(overlaps(b, n)).toBe(false);
  });
});

describe('the middle of an edge', () => {
  it('should be the average of the ends between a bottom and a top handle, and pulled out for a right-hand one', () => {
    expect(bezierMiddle({ x: 0, y: 100 }, { x: 200, y: 300 })).toEqual({ x: 100, y: 200 });
    const side = bezierMiddle({ x: 0, y: 0 }, { x: 200, y: 100 }, 'right');
    expect(side.x).toBeGreaterThan(100);
    expect(side.y).toBeLessThan(50);
  });
});
