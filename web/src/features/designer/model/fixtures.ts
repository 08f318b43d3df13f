/** Definitions the model tests share: a small procedure and a real one from `procedures/`. */
import type { ProcedureDefinition } from '@motcua/engine';
import birth from '../../../../../procedures/dang-ky-khai-sinh/procedure.json';
import { newProcedureTemplate } from './template';

export const realBirth = (): ProcedureDefinition => JSON.parse(JSON.stringify(birth)) as ProcedureDefinition;

/** intake → review → sign → issued, plus a refusal; the template's roles. */
export function small(): ProcedureDefinition {
  const def = newProcedureTemplate({ id: 'thu-nghiem', code: '1.000001', name: 'Thử nghiệm' });
  def.steps = [
    { id: 'intake', kind: 'intake', name: { vi: 'Tiếp nhận' }, role: 'desk', sla: { hours: 4 }, actions: [
      { id: 'accept', label: { vi: 'Tiếp nhận' }, intent: 'proceed', target: 'review' },
      { id: 'refuse', label: { vi: 'Từ chối' }, intent: 'refuse', target: 'refused' },
    ] },
    { id: 'review', kind: 'task', name: { vi: 'Thẩm định' }, role: 'specialist', sla: { days: 1 }, actions: [
      { id: 'submit', label: { vi: 'Trình ký' }, intent: 'proceed', target: [{ when: { '==': [{ var: 'data.urgent' }, true] }, target: 'sign' }, { target: 'sign' }] },
    ] },
    { id: 'sign', kind: 'approval', name: { vi: 'Ký duyệt' }, role: 'leader', sla: { days: 1 }, actions: [
      { id: 'approve', label: { vi: 'Phê duyệt' }, intent: 'proceed', target: 'issued' },
      { id: 'back', label: { vi: 'Trả lại' }, intent: 'rework', target: 'review' },
    ] },
    { id: 'issued', kind: 'final', name: { vi: 'Đã trả kết quả' }, outcome: 'approved' },
    { id: 'refused', kind: 'final', name: { vi: 'Từ chối' }, outcome: 'refused' },
  ];
  delete def.layout;
  return def;
}
