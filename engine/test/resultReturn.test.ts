import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { createCalendar } from '../src/calendar/index';
import { VN_DEFAULT_CALENDAR } from '../src/calendar/defaults';
import { start } from '../src/runtime/index';
import type { ProcedureDefinition } from '../src/definition/types';
import type { StartInput } from '../src/runtime/types';

const def = JSON.parse(readFileSync(new URL('../../procedures/chung-thuc-ban-sao-tu-ban-chinh/procedure.json', import.meta.url), 'utf8')) as ProcedureDefinition;
const scenario = JSON.parse(readFileSync(new URL('../../procedures/chung-thuc-ban-sao-tu-ban-chinh/scenarios/happy-path.json', import.meta.url), 'utf8')) as {
  start: Omit<StartInput, 'dossierId'>;
};
const proc = compileProcedure(def);
const ctx = {
  now: '2026-03-02T01:15:00.000Z', calendar: createCalendar(VN_DEFAULT_CALENDAR),
  actor: { id: 'u-desk', name: 'Nguyễn Thị Lan', kind: 'officer' as const, grants: [{ role: 'desk', unit: '000.01.31.H99' }] },
};
const input = (over: Partial<StartInput>): StartInput => ({
  dossierId: '000.01.31.H99-260302-0001', channel: 'online', receivingUnit: '000.01.31.H99',
  applicant: scenario.start.applicant, data: scenario.start.data ?? {}, ...over,
});

describe('result return of a paper result', () => {
  it('should never return a paper certified copy online, even for an online dossier (Decree 23/2015 Art. 20, as amended by Decree 07/2025)', () => {
    // given an online request for certified copies
    const started = start(proc, input({ channel: 'online' }), ctx);
    // then the copies are handed back at the desk
    expect(started.ok && started.value.snapshot.routing.returnVia).toBe('desk');
    // and asking for an online return is refused, naming the allowed ways
    const refused = start(proc, input({ channel: 'online', returnVia: 'online' }), ctx);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message.en).toContain('only: desk');
  });

  it('should keep returning online results online where the procedure allows it', () => {
    const open = compileProcedure({ ...def, catalog: { ...def.catalog, resultReturn: undefined } } as ProcedureDefinition);
    const started = start(open, input({ channel: 'online' }), ctx);
    expect(started.ok && started.value.snapshot.routing.returnVia).toBe('online');
  });
});
