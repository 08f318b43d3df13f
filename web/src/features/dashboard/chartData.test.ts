import { describe, expect, it } from 'vitest';
import { channelSlices, exportPath, onTimeBars, percent, resolvedBars, shortLabel, stepBars, type BottleneckStep, type ReportCounts, type ReportRow } from './chartData';

const counts = (over: Partial<{ online: number; direct: number; postal: number; early: number; onTime: number; late: number; rate: number | null }> = {}): ReportCounts => {
  const early = over.early ?? 0;
  const onTime = over.onTime ?? 0;
  const late = over.late ?? 0;
  const resolved = early + onTime + late;
  return {
    received: { total: 0, carriedOver: 0, online: over.online ?? 0, direct: over.direct ?? 0, postal: over.postal ?? 0 },
    resolved: { total: resolved, early, onTime, late },
    inProgress: { total: 0, withinDeadline: 0, overdue: 0 },
    refused: 0,
    withdrawn: 0,
    apologies: 0,
    onTimeRate: over.rate !== undefined ? over.rate : resolved === 0 ? null : (early + onTime) / resolved,
    lateRate: null,
    satisfaction: { count: 0, average: null },
  };
};
const row = (label: string, over: Parameters<typeof counts>[0] = {}): ReportRow => ({ key: label, label, ...counts(over) });

describe('percent', () => {
  it('should turn a rate into a percentage with one decimal', () => {
    expect(percent(0.98765)).toBe(98.8);
    expect(percent(1)).toBe(100);
  });

  it('should keep "nothing to rate" apart from zero', () => {
    expect(percent(null)).toBeNull();
    expect(percent(0)).toBe(0);
  });
});

describe('shortLabel', () => {
  it('should cut a long name with an ellipsis and keep short ones whole', () => {
    expect(shortLabel('Hộ tịch')).toBe('Hộ tịch');
    const cut = shortLabel('Cấp Giấy xác nhận tình trạng hôn nhân cho công dân', 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('resolvedBars', () => {
  it('should give one bar per group that resolved something, split by timeliness', () => {
    // given one field with results and one with none
    const bars = resolvedBars([row('Hộ tịch', { early: 5, onTime: 3, late: 1 }), row('Chứng thực')]);
    // then only the first has a bar, with its three parts
    expect(bars).toEqual([{ label: 'Hộ tịch', fullLabel: 'Hộ tịch', early: 5, onTime: 3, late: 1 }]);
  });
});

describe('channelSlices', () => {
  it('should drop channels nobody used', () => {
    expect(channelSlices(counts({ online: 4, direct: 7 }))).toEqual([{ key: 'online', value: 4 }, { key: 'direct', value: 7 }]);
  });
});

describe('onTimeBars', () => {
  it('should put the weakest group first and skip groups with nothing resolved', () => {
    const bars = onTimeBars([row('A', { early: 9, late: 1 }), row('B', { onTime: 1, late: 1 }), row('C')]);
    expect(bars.map((b) => [b.label, b.rate])).toEqual([['B', 50], ['A', 90]]);
  });
});

describe('stepBars', () => {
  const step = (over: Partial<BottleneckStep>): BottleneckStep => ({
    procedureId: 'p1', procedureCode: '1.001', procedureName: 'Khai sinh', step: 'review', stepName: { vi: 'Thẩm định' }, stepKind: 'task',
    count: 10, averageMinutes: 600, averageWorkingDays: 1.25, lateShare: 0.333, ...over,
  });

  it('should name a step with its procedure\'s name, the code in the tooltip, and keep the server order', () => {
    const bars = stepBars([step({}), step({ step: 'sign', stepName: null, procedureCode: null, averageWorkingDays: 0.5 })], (s) => s.stepName?.vi ?? '');
    expect(bars.map((b) => b.label)).toEqual(['Thẩm định · Khai sinh', 'sign · Khai sinh']);
    expect(bars[0]?.fullLabel).toBe('Thẩm định · Khai sinh (1.001)');
    expect(bars[0]?.latePercent).toBe(33.3);
  });

  it('should keep only the worst steps for the chart', () => {
    expect(stepBars([step({}), step({ step: 'b' }), step({ step: 'c' })], () => 'x', 2)).toHaveLength(2);
  });
});

describe('exportPath', () => {
  it('should carry the on-screen filters, the format and the language', () => {
    const path = exportPath({ unit: 'H38.01', children: true, from: '2026-01-01', to: '2026-03-31', groupBy: 'procedure' }, 'xlsx', 'vi');
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/api/stats/report');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      unit: 'H38.01', children: 'true', from: '2026-01-01', to: '2026-03-31', groupBy: 'procedure', format: 'xlsx', lang: 'vi',
    });
  });
});
