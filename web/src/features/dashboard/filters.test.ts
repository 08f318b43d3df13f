import { describe, expect, it } from 'vitest';
import { filterPeriod, readFilters, writeFilters } from './filters';
import type { UnitOption } from './units';

const units: UnitOption[] = [
  { code: 'P', name: 'Tỉnh', depth: 0, subtree: true },
  { code: 'D', name: 'Một cửa xã', depth: 0, subtree: false },
];

describe('readFilters', () => {
  it('should default to the first unit, its subtree, this quarter, by field', () => {
    expect(readFilters(new URLSearchParams(), units)).toEqual({
      unit: 'P', children: true, preset: 'quarter', customFrom: '', customTo: '', groupBy: 'field', view: 'report',
    });
  });

  it('should never ask for the subtree of a unit the user may read only by itself', () => {
    expect(readFilters(new URLSearchParams('unit=D'), units).children).toBe(false);
  });

  it('should ignore a unit the user may not read', () => {
    expect(readFilters(new URLSearchParams('unit=OTHER'), units).unit).toBe('P');
  });

  it('should have no unit when the user may read none', () => {
    expect(readFilters(new URLSearchParams('unit=P'), []).unit).toBeNull();
  });
});

describe('writeFilters', () => {
  it('should round-trip rows by unit on the desk and catalogue views, and ignore an unknown view', () => {
    for (const view of ['desk', 'catalogue'] as const) {
      const f = { unit: 'P', children: true, preset: 'quarter' as const, customFrom: '', customTo: '', groupBy: 'unit' as const, view };
      expect(readFilters(writeFilters(f), units)).toEqual(f);
    }
    expect(readFilters(new URLSearchParams('view=nothing&groupBy=commune'), units)).toMatchObject({ view: 'report', groupBy: 'field' });
  });

  it('should round-trip a custom period grouped by procedure on the bottleneck view', () => {
    const f = { unit: 'P', children: false, preset: 'custom' as const, customFrom: '2026-01-05', customTo: '2026-02-01', groupBy: 'procedure' as const, view: 'bottlenecks' as const };
    expect(readFilters(writeFilters(f), units)).toEqual(f);
  });

  it('should leave the defaults out of the URL', () => {
    expect(writeFilters(readFilters(new URLSearchParams(), units)).toString()).toBe('unit=P');
  });
});

describe('filterPeriod', () => {
  it('should turn a preset into dates for today', () => {
    const f = readFilters(new URLSearchParams('period=month'), units);
    expect(filterPeriod(f, '2026-06-15')).toEqual({ from: '2026-06-01', to: '2026-06-15' });
  });
});
