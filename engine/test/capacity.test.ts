import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { replay } from '../src/runtime/index';
import { runScenario } from '../src/scenario/run';
import type { ProcedureDefinition } from '../src/definition/types';
import type { Scenario } from '../src/scenario/types';

const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(`../../procedures/chung-thuc-chu-ky/${path}`, import.meta.url), 'utf8')) as T;
const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const units = {
  '000.01.31.H99': { code: '000.01.31.H99', name: 'Ủy ban nhân dân xã An Phú', collectiveName: 'ỦY BAN NHÂN DÂN', headTitle: 'CHỦ TỊCH' },
};

describe('capacity in the history', () => {
  it('should record that a deputy chair signed "KT. CHỦ TỊCH" for the People\'s Committee (Decree 30/2020 signing formulas), and replay it', () => {
    // given signature certification signed by the deputy chair of An Phú
    const proc = compileProcedure(read<ProcedureDefinition>('procedure.json'));
    const scenario = read<Scenario>('scenarios/happy-path.json');
    // when the scenario runs
    const report = runScenario(proc, scenario, calendar, { units });
    expect(report.failures).toEqual([]);
    // then the signing event carries the capacity, and the desk's own actions carry none
    const sign = report.events.find((e) => e.type === 'action.applied' && e.step === 'sign');
    expect(sign).toMatchObject({ capacity: { prefix: 'KT.', lines: ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'] } });
    const intake = report.events.find((e) => e.type === 'action.applied' && e.step === 'intake');
    expect(intake && 'capacity' in intake).toBe(false);
    // and replaying the history gives the same events' snapshot
    const replayed = replay(proc, report.events, { calendar });
    expect(replayed.ok && replayed.value).toEqual(report.snapshot);
  });
});
