import { describe, expect, it } from 'vitest';
import { applyCommand } from './commands';
import { referencesTo } from './deletion';
import { small } from './fixtures';

const brief = (refs: ReturnType<typeof referencesTo>) => refs.map((r) => [r.step, r.kind, r.action?.id ?? null, r.route, r.target, r.effect]);

describe('referencesTo: what deleting steps takes with it', () => {
  it('should list every action and route of the remaining steps that points at a deleted step', () => {
    // given intake → review → sign, where review's submit branches twice to sign and sign sends back to review
    const def = small();
    // when sign is about to be deleted
    const refs = referencesTo(def, ['sign']);
    // then both routes of submit are listed, and the whole action goes (no route stays); sign's own actions are not listed
    expect(brief(refs)).toEqual([
      ['review', 'action', 'submit', 0, 'sign', 'removed'],
      ['review', 'action', 'submit', 1, 'sign', 'removed'],
    ]);
    // and the command indeed removes that action
    const after = applyCommand(def, { type: 'steps.delete', ids: ['sign'] });
    expect(after.steps.find((s) => s.id === 'review')?.actions).toEqual([]);
  });

  it('should say when only one route of a branching action goes, and list shared actions', () => {
    const def = small();
    const review = def.steps.find((s) => s.id === 'review')!;
    review.actions![0]!.target = [{ when: { '==': [{ var: 'data.urgent' }, true] }, target: 'sign' }, { target: 'issued' }];
    def.globalActions = [{ id: 'stop', label: { vi: 'Dừng' }, intent: 'stop', target: 'sign' }];
    expect(brief(referencesTo(def, ['sign']))).toEqual([
      ['review', 'action', 'submit', 0, 'sign', 'route'],
      [null, 'action', 'stop', null, 'sign', 'removed'],
    ]);
  });

  it('should list nothing for a step no one points at, nor references among the deleted steps', () => {
    const def = small();
    expect(referencesTo(def, ['refused', 'intake'])).toEqual([]);
    expect(brief(referencesTo(def, ['review', 'sign']))).toEqual([['intake', 'action', 'accept', null, 'review', 'removed']]);
  });
});
