/**
 * Validating a delegation before it is recorded, against the ones already recorded: its
 * fields, scope, dates and where the delegator's authority comes from (an authorisation is
 * never passed on). Deciding authority with recorded delegations is ./authority.ts.
 */
import type { ValidationIssue, ValidationResult } from '../definition/types';
import { cap, isKind, isRecord, KINDS, needsDecision, nonEmpty, parseInstant } from './common';
import { grantsOf, show } from './signing';
import type { Delegation } from './types';

function issue(code: string, path: string, vi: string, en: string, severity?: 'warning'): ValidationIssue {
  return { code, path, message: { vi, en }, ...(severity === undefined ? {} : { severity }) };
}

function inScope(scope: unknown, role: string, unit: string): boolean {
  if (!isRecord(scope)) return false;
  const ok = (v: unknown, x: string): boolean => v === undefined || (Array.isArray(v) && v.includes(x));
  return ok(scope.roles, role) && ok(scope.units, unit);
}

function checkDates(d: { [key: string]: unknown }, issues: ValidationIssue[]): void {
  const bad = (field: string): ValidationIssue => issue('DELEGATION_DATE_INVALID', `/${field}`,
    `"${show(d[field])}" không phải thời điểm ISO 8601 có múi giờ (ví dụ 2025-01-01T00:00:00+07:00)`,
    `"${show(d[field])}" is not an ISO 8601 instant with an offset (e.g. 2025-01-01T00:00:00+07:00)`);
  const from = parseInstant(d.validFrom);
  if (from === undefined) issues.push(bad('validFrom'));
  const openEnded = d.validTo === undefined || d.validTo === null || d.validTo === '';
  const to = openEnded ? undefined : parseInstant(d.validTo);
  if (openEnded && isKind(d.kind) && needsDecision(d.kind)) {
    issues.push(issue('DELEGATION_UNLIMITED', '/validTo', `${cap(KINDS[d.kind].vi)} phải có thời hạn: cần ngày hết hiệu lực`,
      `An ${KINDS[d.kind].en} must be time-limited: an end date is required`));
  }
  if (!openEnded && to === undefined) issues.push(bad('validTo'));
  if (from !== undefined && to !== undefined && to <= from) {
    issues.push(issue('DELEGATION_PERIOD_EMPTY', '/validTo',
      `Ngày hết hiệu lực (${show(d.validTo)}) phải sau ngày bắt đầu (${show(d.validFrom)})`,
      `The end (${show(d.validTo)}) must be after the start (${show(d.validFrom)})`));
  }
  if (d.revokedAt !== undefined && d.revokedAt !== null && parseInstant(d.revokedAt) === undefined) issues.push(bad('revokedAt'));
}

function checkScope(scope: unknown, issues: ValidationIssue[]): void {
  if (!isRecord(scope)) {
    issues.push(issue('DELEGATION_FIELD_MISSING', '/scope', 'Thiếu phạm vi giao quyền', 'The scope is missing'));
    return;
  }
  for (const key of ['roles', 'units', 'procedures']) {
    const v = scope[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every(nonEmpty)) {
      issues.push(issue('DELEGATION_SCOPE_INVALID', `/scope/${key}`, 'Phạm vi phải là danh sách mã', 'The scope must list codes'));
    } else if (v.length === 0) {
      // An empty list would read as "nothing", never as "everything": say so before it is saved.
      issues.push(issue('DELEGATION_SCOPE_EMPTY', `/scope/${key}`,
        'Danh sách rỗng không cho phép gì; bỏ trường này nếu không giới hạn',
        'An empty list allows nothing; omit the field for no limit'));
    }
  }
}

function checkSource(d: { [key: string]: unknown }, existing: Delegation[], issues: ValidationIssue[]): void {
  const from = isRecord(d.from) ? d.from : {};
  const others = existing.filter((e) => isRecord(e) && e.id !== d.id);
  const redelegation = (path: string): ValidationIssue => issue('DELEGATION_REDELEGATION', path,
    'Ủy quyền không được ủy quyền lại: quyền của người giao đã do được giao hoặc ủy quyền',
    "An authorisation may not be passed on: the delegator's authority was itself delegated");
  if (nonEmpty(d.derivedFrom)) {
    const parent = others.find((e) => e.id === d.derivedFrom);
    if (d.kind === 'authorisation' || parent?.kind === 'authorisation') issues.push(redelegation('/derivedFrom'));
    else if (parent === undefined) {
      issues.push(issue('DELEGATION_PARENT_UNKNOWN', '/derivedFrom', `Không tìm thấy "${d.derivedFrom}"`,
        `"${d.derivedFrom}" was not found`, 'warning'));
    } else if (parent.to !== from.id) {
      issues.push(issue('DELEGATION_PARENT_MISMATCH', '/derivedFrom', `"${d.derivedFrom}" không giao cho người giao này`,
        `"${d.derivedFrom}" was not made to this delegator`));
    }
    return;
  }
  if (grantsOf(from.grants).some((g) => inScope(d.scope, g.role, g.unit))) return;
  // Nothing of their own in scope: what they hand on can only have come to them by delegation.
  const supplier = others.filter((e) => e.to === from.id && isRecord(e.from)
    && grantsOf(e.from.grants).some((g) => inScope(e.scope, g.role, g.unit) && inScope(d.scope, g.role, g.unit)));
  if (supplier.length === 0) {
    issues.push(issue('DELEGATION_NOTHING_TO_DELEGATE', '/from/grants',
      'Người giao không giữ vai trò nào trong phạm vi giao', 'The delegator holds no role within the scope'));
  } else if (d.kind === 'authorisation' || supplier.some((e) => e.kind === 'authorisation')) {
    issues.push(redelegation('/from'));
  }
}

/** Checks a delegation before it is saved, against the ones already recorded; pure, never throws. */
export function validateDelegation(d: Delegation, existing: Delegation[]): ValidationResult {
  const issues: ValidationIssue[] = [];
  if (!isRecord(d)) {
    return { ok: false, issues: [issue('DELEGATION_MALFORMED', '', 'Bản giao quyền phải là một đối tượng', 'A delegation must be an object')] };
  }
  const missing = (path: string, vi: string, en: string): void => {
    issues.push(issue('DELEGATION_FIELD_MISSING', path, `Thiếu ${vi}`, `${en} is missing`));
  };
  if (!nonEmpty(d.id)) missing('/id', 'mã', 'The id');
  if (!isKind(d.kind)) {
    issues.push(issue('DELEGATION_KIND_UNKNOWN', '/kind', `Loại giao quyền "${show(d.kind)}" không hợp lệ`,
      `Unknown delegation kind "${show(d.kind)}"`));
  }
  const from: { [key: string]: unknown } = isRecord(d.from) ? d.from : {};
  if (!isRecord(d.from)) missing('/from', 'người giao', 'The delegator');
  else {
    if (!nonEmpty(from.id)) missing('/from/id', 'mã người giao', "The delegator's id");
    if (!nonEmpty(from.name)) missing('/from/name', 'tên người giao', "The delegator's name");
    if (!Array.isArray(from.grants)) missing('/from/grants', 'vai trò của người giao', "The delegator's grants");
  }
  if (!nonEmpty(d.to)) missing('/to', 'người được giao', 'The delegate');
  else if (d.to === from.id) {
    issues.push(issue('DELEGATION_SELF', '/to', 'Không được tự giao quyền cho chính mình', 'One may not delegate to oneself'));
  }
  checkScope(d.scope, issues);
  checkDates(d, issues);
  if (isKind(d.kind) && needsDecision(d.kind) && !nonEmpty(d.decision)) {
    issues.push(issue('DELEGATION_DECISION_MISSING', '/decision', `${cap(KINDS[d.kind].vi)} phải có số văn bản (quyết định) giao quyền`,
      `An ${KINDS[d.kind].en} needs the number of its written decision`));
  }
  checkSource(d, Array.isArray(existing) ? existing : [], issues);
  return { ok: !issues.some((i) => i.severity !== 'warning'), issues };
}
