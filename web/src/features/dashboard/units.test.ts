import { describe, expect, it } from 'vitest';
import { readableUnits } from './units';

const province = { code: 'P', name: 'UBND tỉnh', parent: null };
const commune = { code: 'C1', name: 'UBND xã An Phú', parent: 'P' };
const police = { code: 'X', name: 'Công an tỉnh', parent: null };
const policeCommune = { code: 'X1', name: 'Công an xã', parent: 'X' };

describe('readableUnits', () => {
  it('should list an administrator\'s units and everything below them, parents first and indented', () => {
    const units = readableUnits([{ role: 'admin', unit: 'P' }], [province, commune, police, policeCommune]);
    expect(units.map((u) => [u.code, u.depth, u.subtree])).toEqual([['P', 0, true], ['C1', 1, true]]);
    expect(units[1]?.name).toBe('UBND xã An Phú');
  });

  it('should give a desk officer only their own unit, without the subtree', () => {
    const units = readableUnits([{ role: 'desk', unit: 'C1' }, { role: 'designer', unit: 'P' }], []);
    expect(units).toEqual([{ code: 'C1', name: 'C1', depth: 0, subtree: false }]);
  });

  it('should let a leader count the units below, even without the unit list', () => {
    expect(readableUnits([{ role: 'leader', unit: 'C1' }], [])).toEqual([{ code: 'C1', name: 'C1', depth: 0, subtree: true }]);
  });

  it('should list a unit once when two grants reach it', () => {
    const units = readableUnits([{ role: 'admin', unit: 'P' }, { role: 'leader', unit: 'C1' }], [province, commune]);
    expect(units.map((u) => u.code)).toEqual(['P', 'C1']);
  });
});
