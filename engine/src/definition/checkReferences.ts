import { issue, quoted } from './issues';
import { BUILTIN_ROLES, type ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

/** Roles used by steps, actions and effects are declared; every action has someone to take it. */
function checkRoles(index: DefinitionIndex): ValidationIssue[] {
  const declared = new Set<string>([...BUILTIN_ROLES, ...index.def.roles.map((r) => r.id)]);
  const found: ValidationIssue[] = [];
  const use = (role: string | undefined, pointer: string): void => {
    if (role === undefined || declared.has(role)) return;
    found.push(issue('DEF_UNDECLARED_ROLE', pointer,
      `Vai trò "${role}" chưa được khai báo: thêm {"id": "${role}", "name": {...}} vào "roles", hoặc dùng ${quoted([...declared])}.`,
      `Role "${role}" is not declared: add {"id": "${role}", "name": {...}} to "roles", or use one of ${quoted([...declared])}.`));
  };

  for (const { step, pointer } of index.steps) {
    use(step.role, `${pointer}/role`);
    const exempt = step.kind === 'final' || step.kind === 'parallel' || step.kind === 'handoff';
    const roleless = (step.actions ?? []).filter((a) => a.role === undefined).map((a) => a.id);
    if (!exempt && step.role === undefined && roleless.length > 0) {
      found.push(issue('DEF_STEP_NEEDS_ROLE', `${pointer}/role`,
        `Bước "${step.id}" không có vai trò và các thao tác ${quoted(roleless)} cũng không: đặt "role" cho bước, hoặc cho từng thao tác.`,
        `Step "${step.id}" has no role and neither have its actions ${quoted(roleless)}: set the step's "role", or each action's.`));
    }
  }
  for (const { action, pointer, owner } of index.actions) {
    use(action.role, `${pointer}/role`);
    if (owner === null && action.role === undefined) {
      found.push(issue('DEF_ACTION_NEEDS_ROLE', `${pointer}/role`,
        `Thao tác chung "${action.id}" cần "role" (ví dụ "applicant" cho rút hồ sơ) vì không có bước nào để lấy vai trò.`,
        `Global action "${action.id}" needs a "role" (e.g. "applicant" for withdrawal): there is no step to take it from.`));
    }
  }
  for (const { effect, pointer } of index.effects) {
    if (effect.type === 'assign') use(effect.role, `${pointer}/role`);
    if (effect.type === 'notify' && typeof effect.to === 'object') use(effect.to.role, `${pointer}/to/role`);
  }
  return found;
}

/** Step documents and requested fees exist in the catalog. */
function checkCatalogRefs(index: DefinitionIndex): ValidationIssue[] {
  const { catalog } = index.def;
  const documents = new Set(catalog.documents.map((d) => d.id));
  const fees = new Set(catalog.fees.map((f) => f.id));
  const found: ValidationIssue[] = [];
  for (const { step, pointer } of index.steps) {
    (step.documents ?? []).forEach((id, k) => {
      if (documents.has(id)) return;
      found.push(issue('DEF_UNKNOWN_DOCUMENT', `${pointer}/documents/${k}`,
        `Bước "${step.id}" kiểm tra giấy tờ "${id}" không có trong thành phần hồ sơ: thêm nó vào "catalog.documents", hoặc chọn ${documents.size ? quoted([...documents]) : 'một giấy tờ đã khai báo'}.`,
        `Step "${step.id}" checks document "${id}", which is not in the catalog: add it to "catalog.documents", or pick ${documents.size ? `one of ${quoted([...documents])}` : 'a declared document'}.`));
    });
  }
  for (const { effect, pointer } of index.effects) {
    if (effect.type !== 'requestPayment') continue;
    (effect.fees ?? []).forEach((id, k) => {
      if (fees.has(id)) return;
      found.push(issue('DEF_UNKNOWN_FEE', `${pointer}/fees/${k}`,
        `Khoản phí "${id}" không có trong danh mục phí, lệ phí: thêm nó vào "catalog.fees", hoặc chọn ${fees.size ? quoted([...fees]) : 'một khoản đã khai báo'}.`,
        `Fee "${id}" is not in the catalog: add it to "catalog.fees", or pick ${fees.size ? `one of ${quoted([...fees])}` : 'a declared fee'}.`));
    });
  }
  return found;
}

/** A timeout names a system action of its own step. */
function checkTimeouts(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const { step, pointer } of index.steps) {
    if (!step.timeout) continue;
    const name = step.timeout.action;
    const action = (step.actions ?? []).find((a) => a.id === name);
    if (!action) {
      found.push(issue('DEF_UNKNOWN_TIMEOUT_ACTION', `${pointer}/timeout/action`,
        `Bước "${step.id}" không có thao tác "${name}" để thực hiện khi hết hạn: thêm thao tác đó (vai trò "system") vào bước, hoặc chọn một thao tác có sẵn.`,
        `Step "${step.id}" has no action "${name}" to take on timeout: add it (with role "system") to the step, or pick an existing one.`));
    } else if ((action.role ?? step.role) !== 'system') {
      found.push(issue('DEF_UNKNOWN_TIMEOUT_ACTION', `${pointer}/timeout/action`,
        `Thao tác "${name}" khi hết hạn do hệ thống thực hiện nên cần "role": "system" (hiện là "${action.role ?? step.role ?? ''}").`,
        `Timeout action "${name}" is taken by the system, so it needs "role": "system" (now "${action.role ?? step.role ?? ''}").`));
    }
  }
  return found;
}

const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** Spawn keys are unique (links are keyed by them; a handoff uses its step id), set paths are safe. */
function checkEffects(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const keys = new Map<string, string>();
  for (const { step, pointer } of index.steps) if (step.kind === 'handoff') keys.set(step.id, pointer);
  for (const { effect, pointer } of index.effects) {
    if (effect.type === 'spawn') {
      const earlier = keys.get(effect.key);
      if (earlier === undefined) {
        keys.set(effect.key, pointer);
      } else {
        found.push(issue('DEF_SPAWN_KEY_DUPLICATE', `${pointer}/key`,
          `Khóa liên kết "${effect.key}" đã dùng ở ${earlier} (bước liên thông dùng mã bước làm khóa): đặt một khóa khác.`,
          `Link key "${effect.key}" is already used at ${earlier} (a handoff step uses its step id as key): choose another key.`));
      }
    }
    if (effect.type === 'set' && effect.path.split('.').some((s) => UNSAFE_SEGMENTS.has(s))) {
      found.push(issue('DEF_UNSAFE_SET_PATH', `${pointer}/path`,
        `Đường dẫn "${effect.path}" chứa tên bị cấm (__proto__, prototype, constructor): đổi tên trường dữ liệu.`,
        `Path "${effect.path}" contains a forbidden name (__proto__, prototype, constructor): rename the data field.`));
    }
  }
  return found;
}

/** Roles, catalog documents and fees, timeouts, spawn keys and set paths; pure. */
export function checkReferences(index: DefinitionIndex): ValidationIssue[] {
  return [...checkRoles(index), ...checkCatalogRefs(index), ...checkTimeouts(index), ...checkEffects(index)];
}
