import { describe, expect, it } from 'vitest';
import { READABLE_ZOOM, readableViewport } from './viewport';

describe('fit view', () => {
  it('should fit a small diagram whole and centre it, no larger than 1.1', () => {
    const v = readableViewport({ x: 0, y: 0, width: 400, height: 300 }, 1000, 600);
    expect(v.zoom).toBe(1.1);
    expect(v.x + 200 * v.zoom).toBeCloseTo(500, 5);
  });

  it('should not shrink a tall diagram below the readable zoom: it starts at the top instead', () => {
    const v = readableViewport({ x: -50, y: 100, width: 500, height: 2400 }, 930, 560);
    expect(v.zoom).toBe(READABLE_ZOOM);
    expect(v.y + 100 * v.zoom).toBe(24);
  });
});
