import type { ErrorObject, ValidateFunction } from 'ajv';
import { collapseAjvErrors, describeAjvError } from './ajv';
import validateProcedure from './generated/procedure';
import { issue, quoted } from './issues';
import { procedureSchema } from './schema';
import type { LocalizedText, ValidationIssue } from './types';

/** More schema issues than this bury the first ones: the rest are counted, not listed. */
export const MAX_SCHEMA_ISSUES = 100;

// Precompiled at build time (Ajv standalone, engine/scripts/validators.ts): no code is compiled at run
// time, so the web app validates under a Content-Security-Policy without 'unsafe-eval'.
const procedureValidator = (): ValidateFunction => validateProcedure as unknown as ValidateFunction;

/** The `type` values the effect schema allows, read from the schema itself. */
function effectTypes(): string[] {
  const defs = procedureSchema['$defs'] as { effect: { oneOf: { properties: { type: { const: string } } }[] } };
  return defs.effect.oneOf.map((b) => b.properties.type.const);
}

/** Plain-words messages for the mistakes people make most, keyed by where the schema says so. */
function hint(e: ErrorObject): LocalizedText | undefined {
  const p = e.schemaPath;
  if (p === '#/$defs/id/pattern') {
    return {
      vi: 'mã phải bắt đầu bằng chữ thường, tiếp theo là chữ, số, "_" hoặc "-" (không dấu cách, dấu chấm, dấu hai chấm), ví dụ "tham-dinh"',
      en: 'an id starts with a lowercase letter followed by letters, digits, "_" or "-" (no spaces, dots or colons), e.g. "review"',
    };
  }
  if (p === '#/$defs/duration/minProperties' || p === '#/$defs/duration/maxProperties') {
    return {
      vi: 'thời hạn ghi đúng một trong hai: "days" (số ngày làm việc) hoặc "hours" (số giờ làm việc), ví dụ {"days": 5}',
      en: 'a duration gives exactly one of "days" (working days) or "hours" (working hours), e.g. {"days": 5}',
    };
  }
  if (/^#\/\$defs\/(legalDeadline|stepSla|deadlineCase)\/(else|not)/.test(p)) {
    return {
      vi: 'thời hạn ghi đúng một trong hai: "days" (số ngày làm việc) hoặc "hours" (số giờ làm việc), ví dụ {"days": 3}',
      en: 'a time gives exactly one of "days" (working days) or "hours" (working hours), e.g. {"days": 3}',
    };
  }
  if (p.endsWith('/cutoffTime/pattern')) {
    return { vi: 'giờ chốt ghi dạng "HH:MM" (24 giờ), ví dụ "15:00"', en: 'the cut-off time is "HH:MM" (24-hour), e.g. "15:00"' };
  }
  if (p.endsWith('/path/pattern')) {
    return {
      vi: 'đường dẫn là các tên (chữ, số, "_", "-") nối bằng dấu chấm, ví dụ "ketQua.dongY"',
      en: 'a path is names (letters, digits, "_", "-") joined by dots, e.g. "decision.approved"',
    };
  }
  if (p.endsWith('/param/pattern')) {
    return {
      vi: 'mã tham số của tỉnh là các từ chữ thường không dấu (chữ, số) nối bằng "." hoặc "-", ví dụ "fee.khai-sinh-qua-han"',
      en: 'a provincial parameter key is lowercase words (letters, digits) joined by "." or "-", e.g. "fee.khai-sinh-qua-han"',
    };
  }
  if (p === '#/$defs/unitScope/type') {
    return {
      vi: 'đơn vị là "receiving", "competent", "return" hoặc {"unit": "<mã đơn vị>"}',
      en: 'a unit is "receiving", "competent", "return" or {"unit": "<unit code>"}',
    };
  }
  if (e.keyword === 'discriminator') {
    const allowed = quoted(effectTypes());
    return e.params['error'] === 'mapping'
      ? { vi: `loại hiệu ứng "${String(e.params['tagValue'])}" không có; chọn một trong ${allowed}`, en: `effect type "${String(e.params['tagValue'])}" does not exist; use one of ${allowed}` }
      : { vi: `hiệu ứng cần "type" là một trong ${allowed}`, en: `an effect needs a "type", one of ${allowed}` };
  }
  return undefined;
}

function toIssue(e: ErrorObject): ValidationIssue {
  const d = describeAjvError(e);
  const better = hint(e);
  if (!better) return issue('DEF_SCHEMA', d.path, d.message.vi, d.message.en);
  const where = e.instancePath || '/';
  return issue('DEF_SCHEMA', d.path, `${where}: ${better.vi}`, `${where}: ${better.en}`);
}

/** Checks a value against the published procedure schema, one issue per place and problem; pure (the validator is cached). */
export function schemaIssues(input: unknown): ValidationIssue[] {
  const validate = procedureValidator();
  if (validate(input)) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const i of collapseAjvErrors(validate.errors ?? []).map(toIssue)) {
    const key = `${i.path}\u0000${i.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(i);
    }
  }
  if (issues.length <= MAX_SCHEMA_ISSUES) return issues;
  const more = issues.length - MAX_SCHEMA_ISSUES;
  return [...issues.slice(0, MAX_SCHEMA_ISSUES), issue('DEF_TOO_MANY_ISSUES', '',
    `Còn ${more} lỗi khác không hiển thị: sửa các lỗi trên rồi kiểm tra lại.`,
    `${more} more problems are not shown: fix those above and check again.`)];
}
