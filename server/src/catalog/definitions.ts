/**
 * Checks a definition the way the catalog needs it: the engine's validation, the id and
 * version the catalog imposes, the publishing analysis, and references to other procedures.
 */
import { analyze, validateDefinition, type ProcedureDefinition, type ValidationIssue } from '@motcua/engine';
import { HttpError } from '../http/errors';

/** Something the server changed in what it was sent, reported back to the sender. */
export interface Notice {
  code: string;
  path: string;
  message: { vi: string; en: string };
}

export interface CheckedDefinition {
  /** The definition as it will be stored (version set to the catalog's number). */
  definition: ProcedureDefinition;
  ok: boolean;
  /** Errors and warnings; pointers are prefixed with `prefix`. */
  issues: ValidationIssue[];
  notices: Notice[];
}

const isObject = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

// PostgreSQL cannot store NUL characters or lone UTF-16 surrogates in jsonb.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s);
const segment = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** Pointer to the first string (or key) a database cannot store, or null. */
export function unstorablePath(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return unstorable(value) ? path : null;
  if (typeof value !== 'object' || value === null || depth > 200) return null;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${segment(k)}`;
    if (unstorable(k)) return p;
    const hit = unstorablePath(v, p, depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}

/** Prefixes every pointer (`/steps/2` → `/definition/steps/2`). */
export function prefixIssues<T extends { path: string }>(issues: T[], prefix: string): T[] {
  return prefix ? issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })) : issues;
}

export const errorsOf = (issues: ValidationIssue[]): ValidationIssue[] => issues.filter((i) => i.severity !== 'warning');

/**
 * Validates a definition for a catalog slot: its `id` must equal `expect.id` (when given),
 * its `version` is set to `expect.version` (with a notice when it differed).
 */
export function checkDefinition(input: unknown, expect: { id?: string; version: number }, prefix = ''): CheckedDefinition {
  const notices: Notice[] = [];
  const issues: ValidationIssue[] = [];
  let value = input;
  if (isObject(input)) {
    if (input['version'] !== expect.version) {
      notices.push({
        code: 'VERSION_SET', path: `${prefix}/version`,
        message: {
          vi: `Số phiên bản trong định nghĩa được đặt thành ${expect.version} theo danh mục (đã gửi: ${JSON.stringify(input['version'] ?? null)})`,
          en: `The definition's version was set to ${expect.version} as the catalog numbers it (sent: ${JSON.stringify(input['version'] ?? null)})`,
        },
      });
    }
    value = { ...input, version: expect.version };
    if (expect.id !== undefined && typeof input['id'] === 'string' && input['id'] !== expect.id) {
      issues.push({
        code: 'CATALOG_ID_MISMATCH', path: '/id', severity: 'error',
        message: {
          vi: `Mã quy trình trong định nghĩa ("${input['id']}") phải trùng mã thủ tục "${expect.id}"`,
          en: `The definition's id ("${input['id']}") must equal the procedure id "${expect.id}"`,
        },
      });
    }
  }
  const result = validateDefinition(value);
  issues.push(...result.issues);
  const badText = unstorablePath(value);
  if (badText !== null) {
    issues.push({
      code: 'CATALOG_UNSTORABLE_TEXT', path: badText, severity: 'error',
      message: { vi: 'Văn bản chứa ký tự không lưu được (ký tự NUL hoặc mã UTF-16 lẻ)', en: 'The text holds a character that cannot be stored (NUL or a lone UTF-16 surrogate)' },
    });
  }
  return {
    definition: value as ProcedureDefinition,
    ok: errorsOf(issues).length === 0,
    issues: prefixIssues(issues, prefix),
    notices,
  };
}

/** A 422 listing what is wrong with a definition. */
export function definitionInvalid(issues: ValidationIssue[], where?: string): HttpError {
  return new HttpError(422, 'DEFINITION_INVALID', {
    vi: `Định nghĩa thủ tục không hợp lệ${where ? ` (${where})` : ''}: ${issues.length} lỗi, xem danh sách kèm vị trí`,
    en: `The procedure definition is invalid${where ? ` (${where})` : ''}: ${issues.length} problem(s), see the list with their locations`,
  }, issues);
}

/** A finding of the publishing analysis, as the API reports it. */
export interface Finding {
  code: string;
  path: string;
  severity: string;
  message: { vi: string; en: string };
}

/** The publishing analysis: error findings refuse publishing, the others are reported. */
export function publishCheck(def: ProcedureDefinition, prefix = ''): { errors: Finding[]; notes: Finding[] } {
  const report = analyze(def);
  const all = prefixIssues(report.findings.map((f) => ({ code: f.code, path: f.path, severity: f.severity, message: f.message })), prefix);
  return { errors: all.filter((f) => f.severity === 'error'), notes: all.filter((f) => f.severity !== 'error') };
}

/** Pointers to every other procedure a definition hands off to or spawns. */
export function procedureRefs(def: ProcedureDefinition): { path: string; procedure: string }[] {
  const out: { path: string; procedure: string }[] = [];
  type Effects = ProcedureDefinition['steps'][number]['onEnter'];
  type Actions = ProcedureDefinition['steps'][number]['actions'];
  const effects = (list: Effects, p: string): void => {
    list?.forEach((e, i) => { if (e.type === 'spawn') out.push({ path: `${p}/${i}/procedure`, procedure: e.procedure }); });
  };
  const actions = (list: Actions, p: string): void => {
    list?.forEach((a, i) => effects(a.effects, `${p}/${i}/effects`));
  };
  const steps = (list: ProcedureDefinition['steps'], p: string): void => {
    list.forEach((s, i) => {
      const sp = `${p}/${i}`;
      if (s.handoff) out.push({ path: `${sp}/handoff/procedure`, procedure: s.handoff.procedure });
      effects(s.onEnter, `${sp}/onEnter`);
      actions(s.actions, `${sp}/actions`);
      s.branches?.forEach((b, j) => steps(b.steps, `${sp}/branches/${j}/steps`));
    });
  };
  steps(def.steps, '/steps');
  actions(def.globalActions, '/globalActions');
  return out;
}

/** Issues for references to procedures that are neither in `known` nor the definition itself. */
export function unknownRefs(def: ProcedureDefinition, known: ReadonlySet<string>, prefix = ''): Finding[] {
  return procedureRefs(def).filter((r) => r.procedure !== def.id && !known.has(r.procedure)).map((r) => ({
    code: 'CATALOG_UNKNOWN_PROCEDURE', path: `${prefix}${r.path}`, severity: 'error' as const,
    message: {
      vi: `Thủ tục liên thông "${r.procedure}" chưa được công bố trong danh mục; công bố thủ tục đó trước`,
      en: `The linked procedure "${r.procedure}" is not published in the catalog; publish it first`,
    },
  }));
}
