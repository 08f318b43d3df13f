import { describe, expect, it } from 'vitest';
import type { ProcedureDefinition } from '@motcua/engine';
import { applyCommand } from './commands';
import { checkDefinition } from './check';
import { linkIssues, linkedIds, withIssues } from './links';
import { newProcedureTemplate } from './template';

/** A new procedure with a hand-off to `procedure` mapping the answer `maritalStatus` into `previousStatus`. */
function withHandoff(procedure: string): ProcedureDefinition {
  let def = newProcedureTemplate({ id: 'xac-nhan', code: '1.000001', name: 'Xác nhận' });
  def = applyCommand(def, { type: 'step.add', kind: 'handoff', position: { x: 400, y: 0 }, name: { vi: 'Xác minh', en: 'Verify' } });
  return applyCommand(def, { type: 'step.update', id: 'handoff', patch: { handoff: { procedure, unit: { expression: { var: 'inputs.commune' }, kinds: ['commune'] }, outputs: { previousStatus: 'maritalStatus' } } } });
}

describe('hand-offs checked against the linked procedures', () => {
  it('should say at the hand-off that a procedure the server does not know is not there, and nothing while it loads', () => {
    const def = withHandoff('xac-minh-khong-co');
    expect(linkedIds(def)).toEqual(['xac-minh-khong-co']);
    // while loading: nothing said
    expect(linkIssues(def, new Map())).toEqual([]);
    // known to be missing: an error at the hand-off's procedure, in both languages
    const found = linkIssues(def, new Map([['xac-minh-khong-co', null]]));
    expect(found.map((i) => [i.code, i.path, i.severity])).toEqual([['DEF_HANDOFF_PROCEDURE_UNKNOWN', '/steps/2/handoff/procedure', 'error']]);
    expect(found[0]!.message.vi).toMatch(/Không có thủ tục mã "xac-minh-khong-co"/);
    expect(found[0]!.message.en).toMatch(/no procedure "xac-minh-khong-co"/);
  });

  it('should say an answer the linked procedure does not return, and count it with the rest', () => {
    // given a linked procedure that returns only "status"
    const def = withHandoff('xac-minh');
    const child = newProcedureTemplate({ id: 'xac-minh', code: '1.000002', name: 'Xác minh' });
    child.outputs = { status: { title: { vi: 'Tình trạng' }, value: { var: 'data.status' } } };
    // when the parent is checked against it
    const found = linkIssues(def, new Map([['xac-minh', child]]));
    // then the mapping of "maritalStatus" is an error where it is written, and the check counts it
    expect(found.map((i) => [i.code, i.path])).toEqual([['DEF_HANDOFF_OUTPUT_UNKNOWN', '/steps/2/handoff/outputs/previousStatus']]);
    expect(found[0]!.message.vi).toMatch(/không trả về "maritalStatus" \(chỉ trả về: "status"\)/);
    const own = checkDefinition(def);
    const all = withIssues(own, found);
    expect(all.errors).toBe(own.errors + 1);
    expect(all.issues[0]!.severity).toBe('error');
    // and once it returns "maritalStatus", nothing is said
    child.outputs = { maritalStatus: { title: { vi: 'Tình trạng' }, value: { var: 'data.status' } } };
    expect(linkIssues(def, new Map([['xac-minh', child]]))).toEqual([]);
  });
});
