/**
 * Apologies (form 04) are counted in the reports; lawful extra time is not an apology and
 * not lateness (docs/records.md). Drives real procedures of the catalog through the engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  apply, compileProcedure, createCalendar, start, VN_DEFAULT_CALENDAR,
  type Actor, type DossierEvent, type DossierSnapshot, type ProcedureDefinition,
} from '@motcua/engine';
import { rollupsFor } from '../src/stats/rollup';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const ANPHU = '000.01.31.H99';
const officer = (id: string, role: string): Actor => ({ id, name: id, kind: 'officer', grants: [{ role, unit: ANPHU }] });
const desk = officer('lan', 'desk');
const specialist = officer('hung', 'specialist');
const load = (slug: string) => compileProcedure(
  JSON.parse(readFileSync(new URL(`../../procedures/${slug}/procedure.json`, import.meta.url), 'utf8')) as ProcedureDefinition);

function accepted(slug: string, data: { [k: string]: unknown }, at: string) {
  const proc = load(slug);
  const s = start(proc, { dossierId: 'D1', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'Phan Thị Yến' }, data },
    { now: at, actor: desk, calendar });
  if (!s.ok) throw new Error(s.error.message.en);
  const a = apply(proc, s.value.snapshot, { step: 'intake', action: 'accept' }, { now: at, actor: desk, calendar });
  if (!a.ok) throw new Error(a.error.message.en);
  return { proc, snapshot: a.value.snapshot };
}

function act(d: ReturnType<typeof accepted>, step: string, action: string, inputs: { [k: string]: unknown }, at: string) {
  const r = apply(d.proc, d.snapshot, { step, action, inputs }, { now: at, actor: specialist, calendar });
  if (!r.ok) throw new Error(r.error.message.en);
  return { before: d.snapshot, after: r.value.snapshot as DossierSnapshot, events: r.value.events as DossierEvent[] };
}

describe('apologies in the reports', () => {
  it('should count an apology (form 04) on the day it is issued', () => {
    const d = accepted('chung-thuc-ban-sao-tu-ban-chinh', { items: [{ title: 'Bằng tốt nghiệp', pages: 1, copies: 1 }] }, '2026-03-02T01:20:00.000Z');
    const { before, after, events } = act(d, 'check', 'extend', { days: 1, reason: 'Công chức chứng thực vắng đột xuất' }, '2026-03-02T09:00:00.000Z');
    const { daily } = rollupsFor({ before, after, events, field: 'Chứng thực', calendar });
    expect(daily).toEqual([{ key: { unit: ANPHU, day: '2026-03-02', procedureId: 'chung-thuc-ban-sao-tu-ban-chinh', field: 'Chứng thực' }, counts: { apologies: 1 } }]);
  });

  it('should not count lawful extra time for verification as an apology', () => {
    const d = accepted('dang-ky-ket-hon', {
      husbandName: 'Đinh Quang Huy', husbandDateOfBirth: '1998-07-14', wifeName: 'Mai Thị Ngọc', wifeDateOfBirth: '2000-11-02',
      needsMaritalStatusCertificate: false,
    }, '2026-10-06T01:40:00.000Z');
    const { before, after, events } = act(d, 'review', 'extraTime', { days: 5, reason: 'Cần xác minh điều kiện kết hôn' }, '2026-10-06T03:00:00.000Z');
    expect(after.clock).toMatchObject({ extensions: 0, extraTimeDays: 5 });
    expect(rollupsFor({ before, after, events, field: 'Hộ tịch', calendar }).daily).toEqual([]);
  });
});
