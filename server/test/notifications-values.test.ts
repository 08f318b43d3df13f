/** What a citizen's message says (../src/notifications/service.ts `valuesFor`): the appointment in Vietnam's time, or that there is none yet. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config';
import type { Deps } from '../src/deps';
import type { DossierRow } from '../src/dossiers/repo';
import { classify, valuesFor } from '../src/notifications/service';
import { DEFAULT_TEMPLATES, EVENTS, EVENT_NAMES, render } from '../src/notifications/templates';

const deps = { config: defaultConfig({ publicUrl: 'https://motcua.demo.gov.vn/' }) } as Deps;
const row = (dueAt: string | null) => ({
  id: '000.01.31.H99-261207-0001',
  snapshot: { status: 'active', outcome: null, clock: { dueAt } },
}) as unknown as DossierRow;

describe('notification values', () => {
  it('gives the appointment in Vietnam time', () => {
    const v = valuesFor(deps, row('2026-12-09T09:00:00.000Z'), { event: 'received' });
    expect(v.ngay_hen).toBe('16:00 ngày 09/12/2026');
    expect(v.lien_ket).toBe('https://motcua.demo.gov.vn/tra-cuu/000.01.31.H99-261207-0001');
  });

  it('says the appointment is not set yet rather than leaving it empty', () => {
    const body = render(DEFAULT_TEMPLATES.received, valuesFor(deps, row(null), { event: 'received' })).body;
    expect(body).toContain('Ngày hẹn trả kết quả: chưa xác định.');
  });
  it('tells the citizen when handling stops (stop notice) and when the time is lawfully extended (a new appointment)', () => {
    const slip = (kind: string) => classify({ topic: 'dossier.issueSlip', payload: { effect: { type: 'issueSlip', slip: kind } } });
    expect(slip('stop-notice')).toEqual({ event: 'stopped' });
    expect(slip('extra-time-notice')).toEqual({ event: 'extended' });
    for (const event of ['stopped', 'extended'] as const) {
      expect(EVENTS).toContain(event);
      expect(EVENT_NAMES[event].vi.length).toBeGreaterThan(0);
    }
    const v = valuesFor(deps, row('2026-12-16T09:00:00.000Z'), { event: 'extended' });
    const extended = render(DEFAULT_TEMPLATES.extended, v);
    expect(extended.subject).toContain('000.01.31.H99-261207-0001');
    expect(extended.body).toContain('16:00 ngày 16/12/2026');
    const stopped = render(DEFAULT_TEMPLATES.stopped, v);
    expect(stopped.body).toContain('dừng giải quyết');
    expect(stopped.body).toContain(v.lien_ket);
  });
});
