import { describe, expect, it } from 'vitest';
import { actionsFor, advance, describeLogEntry, firstOfficeMorning, roleName, sampleData, startSimulation, takeAction, type SimState } from './simulation';
import { small } from './fixtures';
import { applyCommand } from './commands';

const started = (): SimState => {
  const r = startSimulation(small(), firstOfficeMorning(new Date('2026-03-07T02:00:00Z')), {});
  if (!r.ok) throw new Error(r.error.message.en);
  return r.state;
};

describe('simulation', () => {
  it('should start on the next working morning at the initial step', () => {
    const s = started();
    expect(s.now).toBe('2026-03-09T01:00:00.000Z');
    expect(s.snapshot.active.map((a) => a.step)).toEqual(['intake']);
  });

  it('should offer each role only its actions and move the dossier on', () => {
    let s = started();
    expect(actionsFor(s, 'leader')).toEqual([]);
    // The desk is also offered the built-in correction of an issued slip.
    expect(actionsFor(s, 'desk').map((a) => a.action)).toEqual(['accept', 'refuse', 'reissueSlip']);
    const r = takeAction(s, 'desk', 'intake', 'accept', {});
    if (!r.ok) throw new Error(r.error.message.en);
    s = r.state;
    expect(s.snapshot.active.map((a) => a.step)).toEqual(['review']);
    expect(s.snapshot.clock.dueAt).not.toBeNull();
    expect(s.log).toHaveLength(1);
  });

  it('should refuse an action of another role with the engine error', () => {
    const r = takeAction(started(), 'leader', 'intake', 'accept', {});
    expect(r.ok).toBe(false);
  });

  it('should advance the clock by an hour or by a working day over the weekend', () => {
    const s = started();
    expect(advance(s, 'hour').now).toBe('2026-03-09T02:00:00.000Z');
    const friday = { ...s, now: '2026-03-13T02:00:00.000Z' };
    expect(advance(friday, 'day').now).toBe('2026-03-16T02:00:00.000Z');
  });

  it('should not start a definition with errors', () => {
    const def = applyCommand(small(), { type: 'step.update', id: 'review', patch: { role: undefined } });
    expect(startSimulation(def, '2026-03-09T01:00:00.000Z', {}).ok).toBe(false);
  });
});

describe('the simulation log', () => {
  const words = { applicant: 'Người nộp hồ sơ', system: 'Hệ thống', ended: 'kết thúc' };

  it('should name the role, the action and the step reached as the designer named them, not by their ids', () => {
    const r = takeAction(started(), 'desk', 'intake', 'accept', {});
    if (!r.ok) throw new Error(r.error.message.en);
    const def = r.state.proc.definition;
    const line = describeLogEntry(def, r.state.log[0]!, 'vi', words);
    expect(line).toEqual({ role: 'Công chức Bộ phận Một cửa', action: 'Tiếp nhận', to: 'Thẩm định' });
    expect(JSON.stringify(line)).not.toMatch(/"(desk|accept|review)"/);
  });

  it('should say the dossier ended when no step is active, and keep an id that has no name', () => {
    const def = small();
    expect(describeLogEntry(def, { at: '', role: 'leader', step: 'sign', action: 'approve', label: { vi: 'Phê duyệt' }, to: [] }, 'vi', words).to).toBe('kết thúc');
    expect(roleName(def, 'applicant', 'vi', words)).toBe('Người nộp hồ sơ');
    expect(roleName(def, 'nobody', 'vi', words)).toBe('nobody');
  });
});

describe('sampleData', () => {
  it('should fill the required fields of a real procedure so a simulation starts', async () => {
    const { realBirth } = await import('./fixtures');
    const def = realBirth();
    const data = sampleData(def.data) as { [k: string]: unknown };
    expect(data.sex).toBe('male');
    expect(data.dateOfBirth).toBe('2026-01-05');
    expect(startSimulation(def, '2026-03-09T01:00:00.000Z', data).ok).toBe(true);
  });
});
