/**
 * A new procedure from scratch: catalog facts to fill in, the three officer roles every
 * commune procedure declares (desk, specialist, leader), an intake step whose acceptance leads
 * to an end step. Pure.
 */
import type { ProcedureDefinition } from '@motcua/engine';

/** Turns a code or a Vietnamese name into a slug id: "Đăng ký khai sinh" → "dang-ky-khai-sinh". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * A minimal definition for a new procedure that passes validation and the analysis with no
 * error or warning: the intake step's acceptance leads to the end step, which the designer
 * then reroutes through the steps the procedure needs.
 */
export function newProcedureTemplate(input: { id: string; code: string; name: string }): ProcedureDefinition {
  return {
    id: input.id,
    version: 1,
    catalog: {
      code: input.code,
      name: { vi: input.name },
      field: 'Hộ tịch',
      level: 'commune',
      decidingAuthority: 'Ủy ban nhân dân cấp xã',
      implementingBody: 'Ủy ban nhân dân cấp xã',
      legalDeadline: { days: 3 },
      fees: [],
      documents: [],
      result: { vi: 'Kết quả giải quyết thủ tục hành chính' },
      legalBasis: [],
      onlineLevel: 'partial',
      postal: false,
      nonGeographic: false,
      channels: ['direct', 'online'],
    },
    roles: [
      { id: 'desk', name: { vi: 'Công chức Bộ phận Một cửa', en: 'One-stop desk officer' } },
      { id: 'specialist', name: { vi: 'Công chức chuyên môn', en: 'Specialist' } },
      { id: 'leader', name: { vi: 'Lãnh đạo Ủy ban nhân dân xã', en: 'Commune leader' } },
    ],
    initial: 'intake',
    steps: [
      {
        id: 'intake',
        kind: 'intake',
        name: { vi: 'Tiếp nhận hồ sơ', en: 'Intake' },
        role: 'desk',
        unit: 'receiving',
        sla: { hours: 4 },
        // Accepting leads to the end at first, so a brand-new procedure is whole and checks
        // clean; the designer inserts the handling steps by pointing this action at them.
        actions: [{ id: 'accept', label: { vi: 'Tiếp nhận hồ sơ', en: 'Accept the dossier' }, intent: 'proceed', target: 'done' }],
      },
      { id: 'done', kind: 'final', name: { vi: 'Hoàn thành', en: 'Done' }, outcome: 'approved' },
    ],
    layout: { intake: { x: 0, y: 0 }, done: { x: 0, y: 520 } },
  };
}
