import { describe, expect, it } from 'vitest';
import { compileProcedure } from '../src/compile/index';
import { validateDefinition } from '../src/definition/validate';
import { createCalendar, VN_DEFAULT_CALENDAR } from '../src/calendar/index';
import { apply, start } from '../src/runtime/index';
import { actors, ANPHU, miniDefinition } from './fixtures/mini';
import type { DossierSnapshot } from '../src/runtime/types';

const calendar = createCalendar(VN_DEFAULT_CALENDAR);
const at = (local: string): string => new Date(`${local}+07:00`).toISOString();

describe('hand-off data mapping', () => {
  it('should give the linked dossier the fields its own procedure needs, computed on the parent', () => {
    // given a hand-off that maps the child's name and a constant
    const def = miniDefinition();
    const link = def.steps.find((s) => s.id === 'link')!;
    link.handoff = { ...link.handoff!, data: { personName: { var: 'data.childName' }, basis: 'relative-home', missing: { var: 'data.nothing' } } };
    const proc = compileProcedure(def);
    const started = start(proc, { dossierId: 'D', channel: 'direct', receivingUnit: ANPHU, applicant: { name: 'B' }, data: { childName: 'Bé Na' } }, { now: at('2026-03-02T08:00:00'), actor: actors.desk, calendar });
    if (!started.ok) throw new Error(started.error.code);
    let snap: DossierSnapshot = started.value.snapshot;
    const step = (s: string, a: string, actor = actors.system, inputs = {}) => {
      const r = apply(proc, snap, { step: s, action: a, inputs }, { now: at('2026-03-02T09:00:00'), actor, calendar });
      if (!r.ok) throw new Error(r.error.code);
      snap = r.value.snapshot;
      return r.value;
    };
    step('intake', 'accept', actors.desk);
    step('review', 'propose', actors.specialist, { verified: true });
    step('sign', 'approve', actors.leader);
    // when payment is confirmed and the hand-off starts
    const t = step('pay', 'paid');
    // then the spawn carries only the mapped fields (a missing one is left out)
    expect(t.effects.find((e) => e.type === 'spawn')).toMatchObject({ data: { personName: 'Bé Na', basis: 'relative-home' } });
    expect((t.effects.find((e) => e.type === 'spawn') as { data: object }).data).not.toHaveProperty('missing');
  });

  it('should reject a mapping rule with an unknown operator, pointing at the field', () => {
    const def = miniDefinition();
    const link = def.steps.find((s) => s.id === 'link')!;
    link.handoff = { ...link.handoff!, data: { personName: { eval: 'x' } } };
    const r = validateDefinition(def);
    expect(r.ok).toBe(false);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'DEF_INVALID_GUARD', path: '/steps/6/handoff/data/personName/eval' }));
  });
});
