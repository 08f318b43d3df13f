import { describe, expect, it } from 'vitest';
import { diff, metrics, summarizeDeltas } from '../src/analysis/index';
import { restructuredDefinition, sequentialDefinition } from './fixtures/analysis-defs';

describe('diff', () => {
  it('should show what a restructuring saves, in one line per language', () => {
    // given the sequential procedure and a version merging review and verification, with a shorter deadline
    const before = sequentialDefinition();
    const after = restructuredDefinition();
    // when they are compared
    const d = diff(before, after);
    // then the metric deltas and their summary say what the change saves
    expect(d.metrics.deltas).toEqual({
      steps: -1, actions: -2, officerActions: -1, handoffs: -1, workingDays: -1.5, legalDeadlineDays: -1, trips: 0, agencies: 0,
    });
    expect(d.summary).toEqual({
      vi: '−1 bước, −1 thao tác của cán bộ, −1 lần chuyển, −1,5 ngày làm việc, −1 ngày thời hạn giải quyết',
      en: '−1 step, −1 officer action, −1 hand-off, −1.5 working days, −1 day of legal deadline',
    });
    expect(d.from).toEqual({ id: 'analysis-sequential', version: 1 });
    expect(d.to).toEqual({ id: 'analysis-sequential', version: 2 });
    expect(d.unchanged).toBe(false);
  });

  it('should list removed steps, changed fields and rerouted actions', () => {
    // given the same two versions
    const d = diff(sequentialDefinition(), restructuredDefinition());
    // when the step and action changes are read
    // then verification is gone, approval got a shorter SLA, and the review now proposes to the approver
    expect(d.steps.added).toEqual([]);
    expect(d.steps.removed).toEqual([{ step: 'verify', name: { vi: 'Kiểm tra' } }]);
    expect(d.steps.changed).toEqual([{ step: 'approve', changes: [{ field: 'sla', before: { days: 1 }, after: { hours: 4 } }] }]);
    expect(d.actions).toEqual({
      added: [],
      removed: [],
      changed: [{ step: 'review', action: 'propose', changes: [{ field: 'target', before: 'verify', after: 'approve' }] }],
    });
    // and the catalog and role list changes are listed
    expect(d.catalog).toEqual([{ field: 'legalDeadline', before: { days: 5 }, after: { days: 4 } }]);
    expect(d.definition).toEqual([{ field: 'roles/head', before: { id: 'head', name: { vi: 'Trưởng phòng' } }, after: undefined }]);
  });

  it('should ignore layout and key order', () => {
    // given a copy that only moves nodes and reorders keys
    const before = sequentialDefinition();
    const after = sequentialDefinition();
    after.layout = { receive: { x: 999, y: 999 } };
    after.catalog = { ...Object.fromEntries(Object.entries(after.catalog).reverse()) } as typeof after.catalog;
    // when compared
    const d = diff(before, after);
    // then nothing changed
    expect(d.unchanged).toBe(true);
    expect(d.summary).toEqual({ vi: 'Không thay đổi chỉ số', en: 'No change in metrics' });
  });

  it('should compare fees, documents, online level and non-geographic intake item by item', () => {
    // given a version that raises a fee, adds a document and opens full online, non-geographic intake
    const before = sequentialDefinition();
    const after = sequentialDefinition();
    after.catalog.fees = [{ id: 'fee', name: { vi: 'Lệ phí' }, amount: 10000 }];
    after.catalog.documents.push({ id: 'id-card', name: { vi: 'Căn cước' }, form: 'original-for-comparison', count: 1 });
    after.catalog.onlineLevel = 'full';
    after.catalog.nonGeographic = true;
    // when compared
    const d = diff(before, after);
    // then each catalog change is listed, and the metrics are the same
    expect(d.catalog.map((c) => c.field)).toEqual(['onlineLevel', 'nonGeographic', 'fees/fee', 'documents/id-card']);
    expect(d.catalog.find((c) => c.field === 'documents/id-card')?.before).toBeUndefined();
    expect(d.summary.en).toBe('No change in metrics');
  });

  it('should report added steps and actions, and field changes of steps', () => {
    // given a version with a new legal check step before approval and a renamed, re-roled review
    const before = sequentialDefinition();
    const after = sequentialDefinition();
    const verify = after.steps[2];
    const review = after.steps[1];
    if (verify?.actions?.[0]) verify.actions[0].target = 'legalCheck';
    verify?.actions?.push({ id: 'clarify', label: { vi: 'Yêu cầu làm rõ' }, intent: 'rework', target: 'review' });
    if (review) {
      review.name = { vi: 'Thẩm định hồ sơ' };
      review.role = 'head';
    }
    after.steps.splice(3, 0, {
      id: 'legalCheck', kind: 'task', name: { vi: 'Kiểm tra pháp lý' }, role: 'specialist', sla: { hours: 4 },
      actions: [{ id: 'ok', label: { vi: 'Đạt' }, target: 'approve' }],
    });
    // when compared
    const d = diff(before, after);
    // then the new step and action appear, review's changes are listed field by field, and the summary adds the check
    // (review and verification now share a role, so hand-offs stay at 4)
    expect(d.steps.added).toEqual([{ step: 'legalCheck', name: { vi: 'Kiểm tra pháp lý' } }]);
    expect(d.steps.changed).toEqual([{ step: 'review', changes: [
      { field: 'role', before: 'specialist', after: 'head' },
      { field: 'name', before: { vi: 'Thẩm định' }, after: { vi: 'Thẩm định hồ sơ' } },
    ] }]);
    expect(d.actions.added).toEqual([{ step: 'verify', action: 'clarify' }]);
    expect(d.actions.changed.map((c) => `${c.step}.${c.action}`)).toEqual(['verify.forward']);
    expect(d.summary.vi).toBe('+1 bước, +1 thao tác của cán bộ, +0,5 ngày làm việc');
    expect(d.summary.en).toBe('+1 step, +1 officer action, +0.5 working days');
  });
});

describe('summarizeDeltas', () => {
  it('should pluralise English terms and use a decimal comma in Vietnamese', () => {
    // given deltas with plural and fractional values
    const deltas = { steps: -2, actions: 0, officerActions: 0, handoffs: -2, workingDays: -0.25, legalDeadlineDays: 0, trips: -1, agencies: 2 };
    // when summarised
    const s = summarizeDeltas(deltas);
    // then
    expect(s.vi).toBe('−2 bước, −2 lần chuyển, −0,25 ngày làm việc, −1 lượt đi lại của người dân, +2 cơ quan');
    expect(s.en).toBe('−2 steps, −2 hand-offs, −0.25 working days, −1 citizen trip, +2 agencies');
  });

  it('should agree with the metrics of each version', () => {
    // given both versions measured alone
    const before = metrics(sequentialDefinition());
    const after = metrics(restructuredDefinition());
    // when diffed
    const d = diff(sequentialDefinition(), restructuredDefinition());
    // then the diff carries the same metrics
    expect(d.metrics.before).toEqual(before);
    expect(d.metrics.after).toEqual(after);
    expect(after.workingDays).toBe(3.5);
  });
});
