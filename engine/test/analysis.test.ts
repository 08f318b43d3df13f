import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, diff, FINDING_CODES, metrics, type AnalysisFinding } from '../src/analysis/index';
import type { ProcedureDefinition, StepDefinition } from '../src/definition/types';
import {
  brokenBranchDefinition,
  cycleDefinition,
  deadEndDefinition,
  handoffDefinition,
  parallelDefinition,
  sequentialDefinition,
  slaOverLegalDefinition,
  undeclaredRoleDefinition,
  unreachableDefinition,
} from './fixtures/analysis-defs';

function codesOf(findings: AnalysisFinding[]): string[] {
  return findings.map((f) => f.code);
}

function at(findings: AnalysisFinding[], code: string): string[] {
  return findings.filter((f) => f.code === code).map((f) => f.path);
}

function step(def: ProcedureDefinition, index: number): StepDefinition {
  return def.steps[index] as StepDefinition;
}

describe('analyze: final outcomes against the action reaching them', () => {
  it('should flag a leader\'s refusal that reaches a final step with outcome "approved" (the result must record the refusal: Decree 61/2018 Art. 19, form II.06a counts)', () => {
    // given a leader who may refuse at the approval step, the refusal going through the return step to "done" (approved)
    const def = sequentialDefinition();
    const approve = def.steps.find((s) => s.id === 'approve')!;
    approve.actions!.push({ id: 'refuse', label: { vi: 'Từ chối ký' }, intent: 'refuse', target: 'deliver' });
    // when analysed
    const report = analyze(def);
    // then the refusal is flagged at the action, as an error that blocks publishing
    const found = report.findings.filter((f) => f.code === 'AN_OUTCOME_CONTRADICTS_INTENT');
    expect(found.map((f) => f.path)).toEqual(['/steps/3/actions/2']);
    expect(found[0]?.severity).toBe('error');
    expect(found[0]?.message.en).toContain('"done" with outcome "approved"');
    expect(report.ok).toBe(false);
  });

  it('should accept a refusal ending "refused", and a specialist\'s proposed refusal a leader may still overrule', () => {
    // given a refusal straight to the "refused" final step, and a proposal of refusal going to the leader
    const def = sequentialDefinition();
    def.steps.find((s) => s.id === 'approve')!.actions!.push({ id: 'refuse', label: { vi: 'Từ chối' }, intent: 'refuse', target: 'refused' });
    def.steps.find((s) => s.id === 'review')!.actions!.push({ id: 'proposeRefusal', label: { vi: 'Đề xuất từ chối' }, intent: 'refuse', target: 'approve' });
    // when analysed
    const report = analyze(def);
    // then nothing contradicts: the leader decides after the proposal
    expect(codesOf(report.findings)).not.toContain('AN_OUTCOME_CONTRADICTS_INTENT');
  });

  it('should flag an action that sets one outcome and ends in a final step of another', () => {
    // given a signing action that sets "rejected" yet goes on to "done" (approved)
    const def = sequentialDefinition();
    def.steps.find((s) => s.id === 'approve')!.actions![0]!.effects = [{ type: 'setOutcome', outcome: 'rejected' }];
    // when analysed
    const report = analyze(def);
    // then it is flagged
    expect(at(report.findings, 'AN_OUTCOME_CONTRADICTS_INTENT')).toEqual(['/steps/3/actions/0']);
  });
});

describe('analyze', () => {
  it('should find nothing wrong in a plain sequential procedure', () => {
    // given a sound five-step procedure
    const def = sequentialDefinition();
    // when it is analysed
    const report = analyze(def);
    // then there are no findings and it may be published
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('should report a step nothing leads to as unreachable', () => {
    // given an archive step no action targets
    const def = unreachableDefinition();
    // when analysed
    const report = analyze(def);
    // then only that step is reported, as a warning
    expect(at(report.findings, 'AN_UNREACHABLE_STEP')).toEqual(['/steps/8']);
    expect(report.findings.find((f) => f.code === 'AN_UNREACHABLE_STEP')?.severity).toBe('warning');
    expect(report.ok).toBe(true);
  });

  it('should report a step whose only action does not move as a dead end', () => {
    // given a verification step whose only action has no target
    const def = deadEndDefinition();
    // when analysed
    const report = analyze(def);
    // then the step is a dead end, the step before it has no way out, and publishing is blocked
    expect(at(report.findings, 'AN_DEAD_END')).toEqual(['/steps/2']);
    expect(at(report.findings, 'AN_NO_WAY_OUT')).toEqual(['/steps/1']);
    expect(report.ok).toBe(false);
  });

  it('should not count global actions as a way out of a dead end', () => {
    // given a dead end and a global withdrawal available from every step
    const def = deadEndDefinition();
    // when analysed
    const report = analyze(def);
    // then withdrawal does not hide the dead end
    expect(def.globalActions).toHaveLength(1);
    expect(codesOf(report.findings)).toContain('AN_DEAD_END');
  });

  it('should accept a timeout as a way out of a step', () => {
    // given a dead-end step that a timeout moves on through a global action
    const def = deadEndDefinition();
    def.globalActions?.push({ id: 'autoApprove', label: { vi: 'Tự động chuyển' }, role: 'system', target: 'approve' });
    step(def, 2).timeout = { after: { days: 1 }, action: 'autoApprove' };
    // when analysed
    const report = analyze(def);
    // then it is no longer a dead end and every step can finish
    expect(codesOf(report.findings)).not.toContain('AN_DEAD_END');
    expect(codesOf(report.findings)).not.toContain('AN_NO_WAY_OUT');
  });

  it('should report every step of a loop with no way out, naming the loop', () => {
    // given review and verify sending the dossier to each other only
    const def = cycleDefinition();
    // when analysed
    const report = analyze(def);
    // then both steps are reported, the intake (which may refuse) is not
    expect(at(report.findings, 'AN_NO_WAY_OUT')).toEqual(['/steps/1', '/steps/2']);
    const message = report.findings.find((f) => f.code === 'AN_NO_WAY_OUT')?.message;
    expect(message?.en).toContain('loop with no way out: "review", "verify"');
    expect(message?.vi).toContain('vòng lặp không lối ra');
    // and the approval beyond the loop is unreachable, so there is no happy path
    expect(at(report.findings, 'AN_UNREACHABLE_STEP')).toEqual(['/steps/3', '/steps/4', '/steps/5']);
    expect(codesOf(report.findings)).toContain('AN_NO_HAPPY_PATH');
    expect(report.metrics.happyPath).toBeNull();
    expect(report.ok).toBe(false);
  });

  it('should report a step held by a role nobody declared', () => {
    // given a verification step held by an undeclared role
    const def = undeclaredRoleDefinition();
    // when analysed
    const report = analyze(def);
    // then nobody can act there
    expect(at(report.findings, 'AN_NO_ACTOR')).toEqual(['/steps/2']);
    expect(report.findings.find((f) => f.code === 'AN_NO_ACTOR')?.message.en).toContain('"inspector"');
    expect(report.ok).toBe(false);
  });

  it('should report a step when neither it nor its actions name a role', () => {
    // given a step without a role whose actions have none either
    const def = sequentialDefinition();
    delete step(def, 1).role;
    // when analysed
    const report = analyze(def);
    // then the step has no actor
    expect(at(report.findings, 'AN_NO_ACTOR')).toEqual(['/steps/1']);
  });

  it('should report a single action nobody can take when its siblings name roles', () => {
    // given a step without a role, one action with a role and one without
    const def = sequentialDefinition();
    const verify = step(def, 2);
    delete verify.role;
    const forward = verify.actions?.[0];
    if (forward) forward.role = 'head';
    // when analysed
    const report = analyze(def);
    // then only the role-less action is flagged
    expect(at(report.findings, 'AN_ACTION_WITHOUT_ACTOR')).toEqual(['/steps/2/actions/1']);
    expect(codesOf(report.findings)).not.toContain('AN_NO_ACTOR');
  });

  it('should warn when the SLA along the longest path exceeds the legal deadline', () => {
    // given five working days of step SLAs under a three-day legal deadline
    const def = slaOverLegalDefinition();
    // when analysed
    const report = analyze(def);
    // then a warning gives both numbers and the procedure stays publishable
    const found = report.findings.find((f) => f.code === 'AN_SLA_EXCEEDS_LEGAL');
    expect(found?.severity).toBe('warning');
    expect(found?.path).toBe('/catalog/legalDeadline');
    expect(found?.message.en).toContain('5 working days');
    expect(found?.message.en).toContain('3 working days');
    expect(report.ok).toBe(true);
    expect(report.slaLongestPath).toEqual({ days: 4, hours: 8, workingDays: 5, steps: ['receive', 'review', 'verify', 'approve', 'deliver', 'done'] });
  });

  it('should convert hours with the hours-per-day option', () => {
    // given the same procedure and 4-hour working days
    const def = slaOverLegalDefinition();
    // when analysed
    const report = analyze(def, { hoursPerDay: 4 });
    // then two 4-hour steps count as two days
    expect(report.slaLongestPath?.workingDays).toBe(6);
    expect(report.slaHappyPath?.workingDays).toBe(6);
  });

  it('should treat a same-day deadline as one working day of hours', () => {
    // given a same-day procedure whose steps take 6 hours in all
    const def = sequentialDefinition();
    def.catalog.legalDeadline = { days: 0 };
    def.steps.forEach((s) => {
      if (s.sla) s.sla = { hours: 1 };
    });
    step(def, 0).sla = { hours: 2 };
    // when analysed
    const report = analyze(def);
    // then it fits the day
    expect(report.slaLongestPath?.workingDays).toBe(0.75);
    expect(codesOf(report.findings)).not.toContain('AN_SLA_EXCEEDS_LEGAL');
  });

  it('should report officer steps without an SLA as information', () => {
    // given a review step without SLA
    const def = sequentialDefinition();
    delete step(def, 1).sla;
    // when analysed
    const report = analyze(def);
    // then an info finding points at it and nothing blocks publishing
    expect(report.findings.filter((f) => f.code === 'AN_STEP_WITHOUT_SLA').map((f) => [f.path, f.severity])).toEqual([['/steps/1', 'info']]);
    expect(report.ok).toBe(true);
  });

  it('should measure a parallel step by its longest branch', () => {
    // given police (2 days) and tax (1 day + 4 hours) consulted in parallel
    const def = parallelDefinition();
    // when analysed
    const report = analyze(def);
    // then the procedure is sound and the longest path takes the police branch
    expect(report.findings).toEqual([]);
    expect(report.slaLongestPath).toEqual({ days: 4, hours: 8, workingDays: 5, steps: ['receive', 'review', 'consult', 'approve', 'deliver', 'done'] });
    expect(report.slaHappyPath?.workingDays).toBe(5);
  });

  it('should report a parallel branch that never completes', () => {
    // given a tax branch looping on itself without a final step
    const def = brokenBranchDefinition();
    // when analysed
    const report = analyze(def);
    // then the branch is reported, the parallel never joins and the approval is unreachable
    expect(at(report.findings, 'AN_BRANCH_WITHOUT_FINAL')).toEqual(['/steps/2/branches/1']);
    expect(at(report.findings, 'AN_NO_WAY_OUT')).toEqual(expect.arrayContaining(['/steps/2', '/steps/2/branches/1/steps/0', '/steps/2/branches/1/steps/1']));
    expect(at(report.findings, 'AN_UNREACHABLE_STEP')).toContain('/steps/3');
    expect(report.ok).toBe(false);
    // and the rework edge from the unreachable approval makes no loop of the review
    const review = report.findings.find((f) => f.code === 'AN_NO_WAY_OUT' && f.path === '/steps/1');
    expect(review?.message.en).not.toContain('loop');
  });

  it('should warn when a hand-off never comes back to the desk', () => {
    // given a hand-off to the police leading straight to the final step
    const def = handoffDefinition(false);
    // when analysed
    const report = analyze(def);
    // then the hand-off is flagged, and the version that returns the result is not
    expect(at(report.findings, 'AN_HANDOFF_WITHOUT_RETURN')).toEqual(['/steps/1']);
    expect(codesOf(analyze(handoffDefinition()).findings)).not.toContain('AN_HANDOFF_WITHOUT_RETURN');
  });

  it('should warn about a hand-off step that names no target', () => {
    // given a hand-off step without its hand-off spec
    const def = handoffDefinition();
    delete step(def, 1).handoff;
    // when analysed
    const report = analyze(def);
    // then it is flagged
    expect(at(report.findings, 'AN_HANDOFF_WITHOUT_TARGET')).toEqual(['/steps/1']);
  });

  it('should warn about routes that may all fail, finals without outcome and unused roles', () => {
    // given a route without a default, a final without outcome and a role nobody uses
    const def = sequentialDefinition();
    const propose = step(def, 1).actions?.[0];
    if (propose) propose.target = [{ when: { var: 'data.ok' }, target: 'verify' }];
    delete step(def, 6).outcome;
    def.roles.push({ id: 'clerk', name: { vi: 'Văn thư' } });
    // when analysed
    const report = analyze(def);
    // then each is reported at its place
    expect(at(report.findings, 'AN_ROUTE_WITHOUT_ELSE')).toEqual(['/steps/1/actions/0/target']);
    expect(at(report.findings, 'AN_FINAL_WITHOUT_OUTCOME')).toEqual(['/steps/6']);
    expect(at(report.findings, 'AN_UNUSED_ROLE')).toEqual(['/roles/4']);
    expect(report.ok).toBe(true);
  });

  it('should warn when slips are to be sealed but no slip 01–03 is ever issued, and not once one is', () => {
    // given sealed slips asked for in a workflow that issues no slip
    const def = sequentialDefinition();
    def.settings = { ...def.settings, sealSlips: true };
    for (const s of def.steps) {
      delete s.onEnter;
      for (const a of s.actions ?? []) if (a.effects) a.effects = a.effects.filter((e) => e.type !== 'issueSlip');
    }
    // then the setting is reported where it is set
    expect(at(analyze(def).findings, 'AN_SEAL_WITHOUT_SLIP')).toEqual(['/settings/sealSlips']);
    // and once the intake issues the receipt (slip 01), or the setting is off, nothing is reported
    const accept = step(def, 0).actions?.[0];
    if (!accept) throw new Error('no first action');
    accept.effects = [...(accept.effects ?? []), { type: 'issueSlip', slip: 'receipt' }];
    expect(at(analyze(def).findings, 'AN_SEAL_WITHOUT_SLIP')).toEqual([]);
    def.settings = { sealSlips: false };
    accept.effects = [];
    expect(at(analyze(def).findings, 'AN_SEAL_WITHOUT_SLIP')).toEqual([]);
  });

  it('should note at /catalog/fieldCode when the catalog has no field code (the portal would get the field\'s name as MaLinhVuc)', () => {
    // given a sound definition whose catalog names its field but gives no code
    const def = sequentialDefinition();
    delete def.catalog.fieldCode;
    // when analysed
    const report = analyze(def);
    // then one note (not a warning: a new procedure opens clean) points at the missing code, in Vietnamese and English, and publishing is not refused
    const found = report.findings.filter((f) => f.code === 'AN_FIELD_WITHOUT_CODE');
    expect(found.map((f) => [f.path, f.severity])).toEqual([['/catalog/fieldCode', 'info']]);
    expect(found[0]?.message.vi).toMatch(/^Chưa có mã lĩnh vực: Cổng Dịch vụ công quốc gia sẽ nhận tên lĩnh vực thay cho mã/);
    expect(found[0]?.message.en).toMatch(/^No field code/);
    expect(report.ok).toBe(true);
    // and a blank code is no code
    def.catalog.fieldCode = '  ';
    expect(at(analyze(def).findings, 'AN_FIELD_WITHOUT_CODE')).toEqual(['/catalog/fieldCode']);
    // and once the code is filled in, nothing is reported
    def.catalog.fieldCode = 'TEST-HT';
    expect(at(analyze(def).findings, 'AN_FIELD_WITHOUT_CODE')).toEqual([]);
  });

  it('should never throw on a definition that does not resolve', () => {
    // given an unknown initial step, a dangling target and a malformed step list entry
    const def = sequentialDefinition();
    def.initial = 'nowhere';
    const propose = step(def, 1).actions?.[0];
    if (propose) propose.target = 'ghost';
    (def.steps as unknown[]).push(null);
    // when analysed
    const run = (): unknown => analyze(def);
    // then it reports what it can
    expect(run).not.toThrow();
    expect(analyze(def).metrics.happyPath).toBeNull();
    // and not even on something that is no definition at all
    expect(() => analyze(null as never)).not.toThrow();
    expect(() => diff(null as never, def)).not.toThrow();
  });

  it('should never throw whatever a field of the definition holds', () => {
    // given a sound definition with one field replaced by arbitrary JSON
    const fields = ['steps', 'initial', 'roles', 'globalActions', 'catalog', '0', '0.actions', '0.actions.0', '0.actions.0.target', '0.sla', '2.timeout', '1.unit', '1.role'];
    fc.assert(fc.property(fc.constantFrom(...fields), fc.jsonValue(), (field, value) => {
      const def = parallelDefinition();
      const [head, ...rest] = field.split('.');
      let holder: { [k: string]: unknown } = /^\d/.test(field) ? (def.steps as unknown as { [k: string]: unknown }) : (def as unknown as { [k: string]: unknown });
      const keys = [head as string, ...rest];
      for (const k of keys.slice(0, -1)) holder = holder[k] as { [k: string]: unknown };
      holder[keys[keys.length - 1] as string] = value;
      // when analysed, measured and diffed
      // then nothing throws
      analyze(def);
      metrics(def);
      diff(parallelDefinition(), def);
    }), { numRuns: 300, examples: [['1.role', { toString: false }]] });
  });

  it('should only use codes from the catalogue, with its severities', () => {
    // given the definitions of every test above
    const defs = [unreachableDefinition(), deadEndDefinition(), cycleDefinition(), undeclaredRoleDefinition(), slaOverLegalDefinition(), brokenBranchDefinition(), handoffDefinition(false)];
    // when they are analysed
    const findings = defs.flatMap((d) => analyze(d).findings);
    // then every finding matches the catalogue
    for (const f of findings) expect(FINDING_CODES[f.code as keyof typeof FINDING_CODES]).toBe(f.severity);
  });
});

describe('metrics', () => {
  it('should measure a sequential procedure', () => {
    // given the plain sequential procedure
    const def = sequentialDefinition();
    // when measured
    const m = metrics(def);
    // then the numbers match the definition by hand
    expect(m).toMatchObject({
      steps: 5,
      actions: 9,
      roles: ['applicant', 'desk', 'head', 'leader', 'specialist'],
      units: ['competent', 'receiving', 'return'],
      officerActions: 5,
      handoffs: 4,
      workingDays: 5,
      legalDeadlineDays: 5,
      citizen: { channel: 'direct', trips: 2, agencies: 3 },
    });
    expect(m.happyPath?.steps).toEqual(['receive', 'review', 'verify', 'approve', 'deliver', 'done']);
    expect(m.happyPath?.moves.map((mv) => `${mv.step}.${mv.action}→${mv.target}`)).toEqual([
      'receive.accept→review', 'review.propose→verify', 'verify.forward→approve', 'approve.sign→deliver', 'deliver.handOver→done',
    ]);
  });

  it('should count no submit and collect trips online, but count applicant actions', () => {
    // given a payment step by the applicant on the happy path, with the online channel
    const def = sequentialDefinition();
    const accept = step(def, 0).actions?.[0];
    if (accept) accept.target = 'pay';
    def.steps.push({ id: 'pay', kind: 'payment', name: { vi: 'Nộp phí' }, role: 'applicant', actions: [{ id: 'paid', label: { vi: 'Đã nộp' }, target: 'review' }] });
    // when measured for both channels
    const online = metrics(def, { channel: 'online' });
    const direct = metrics(def);
    // then the payment is a trip either way, submit and collect only in person
    expect(online.citizen.trips).toBe(1);
    expect(direct.citizen.trips).toBe(3);
    // and the applicant's step is no hand-off between officers
    expect(direct.handoffs).toBe(4);
    expect(direct.officerActions).toBe(5);
  });

  it('should skip rework, refusal and other non-forward actions on the happy path', () => {
    // given a shortcut to the final step that is a refusal
    const def = sequentialDefinition();
    step(def, 0).actions?.push({ id: 'fastReject', label: { vi: 'Từ chối nhanh' }, intent: 'refuse', target: 'done' });
    // when measured
    const m = metrics(def);
    // then the happy path still goes through every step
    expect(m.happyPath?.steps).toHaveLength(6);
  });

  it('should walk every branch of a parallel step on the happy path', () => {
    // given the parallel consultation
    const def = parallelDefinition();
    // when measured
    const m = metrics(def);
    // then branch steps count, branch actions are on the path, and the police unit is an agency
    expect(m.steps).toBe(8);
    expect(m.happyPath?.branches).toEqual([
      { parallel: 'consult', branch: 'police', steps: ['askPolice', 'policeDone'] },
      { parallel: 'consult', branch: 'tax', steps: ['askTax', 'confirmTax', 'taxDone'] },
    ]);
    expect(m.happyPath?.moves.map((mv) => mv.action)).toEqual(['accept', 'propose', 'answer', 'answer', 'confirm', 'sign', 'handOver']);
    expect(m.officerActions).toBe(7);
    expect(m.handoffs).toBe(4);
    expect(m.workingDays).toBe(5);
    expect(m.citizen.agencies).toBe(4);
  });

  it('should count a hand-off step as a hand-off', () => {
    // given intake, a hand-off to the police and return at the desk
    const def = handoffDefinition();
    // when measured
    const m = metrics(def);
    // then the hand-off step and the desk's change of unit both count, and the police is an agency
    expect(m.handoffs).toBe(2);
    expect(m.officerActions).toBe(2);
    expect(m.units).toContain('unit:police');
    expect(m.citizen.agencies).toBe(4);
  });
});
