import { describe, expect, it } from 'vitest';
import { descendants, moveTargets, treeRows } from './unitTree';

const units = [
  { code: 'P', name: 'Tỉnh', parent: null },
  { code: 'P.B', name: 'Xã B', parent: 'P' },
  { code: 'P.A', name: 'Xã A', parent: 'P' },
  { code: 'P.A.1', name: 'Công an xã A', parent: 'P.A' },
];

describe('unit tree', () => {
  it('should list children right after their parent, indented', () => {
    expect(treeRows(units).map((r) => `${r.depth}:${r.unit.code}`)).toEqual(['0:P', '1:P.A', '2:P.A.1', '1:P.B']);
  });

  it('should treat a unit whose parent is out of sight as a root', () => {
    expect(treeRows(units.slice(1)).map((r) => r.depth)).toEqual([0, 1, 0]);
  });

  it('should not lose units caught in a cycle', () => {
    const cyclic = [{ code: 'X', name: 'x', parent: 'Y' }, { code: 'Y', name: 'y', parent: 'X' }];
    expect(treeRows(cyclic)).toHaveLength(2);
  });

  it('should never offer a unit or its descendants as the new parent', () => {
    expect([...descendants(units, 'P.A')]).toEqual(['P.A.1']);
    expect(moveTargets(units, 'P.A').map((u) => u.code)).toEqual(['P', 'P.B']);
  });
});
