/**
 * Hand-offs chosen at run time and answers coming back (issue 15): the unit expression reads
 * the dossier, the answer mapping writes plain data fields, declared outputs are rules.
 * `validateLinks` checks a parent against the linked procedures it names (outputs that exist,
 * kinds the linked procedure accepts): the publish gate and the catalog tests run it.
 */
import { issue, quoted } from './issues';
import { isUnitFromData, type JsonLogicRule, type ProcedureDefinition, type ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';
import { indexDefinition } from './walk';

const ROOTS = new Set(['data', 'inputs', 'dossier']);
const esc = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every `var` of a rule, with the pointer of its path argument. */
function varsOf(rule: unknown, pointer: string, out: { path: string; pointer: string }[] = [], depth = 0): { path: string; pointer: string }[] {
  if (depth > 64 || rule === null || typeof rule !== 'object') return out;
  if (Array.isArray(rule)) {
    rule.forEach((r, i) => varsOf(r, `${pointer}/${i}`, out, depth + 1));
    return out;
  }
  for (const [op, arg] of Object.entries(rule)) {
    if (op === 'var') {
      const path = Array.isArray(arg) ? arg[0] : arg;
      if (typeof path === 'string') out.push({ path, pointer: Array.isArray(arg) ? `${pointer}/var/0` : `${pointer}/var` });
    } else {
      varsOf(arg, `${pointer}/${esc(op)}`, out, depth + 1);
    }
  }
  return out;
}

/** Top-level field names a definition may hold in `data`: intake data, step forms, action inputs, `set` paths, answer fields. */
function knownDataFields(index: DefinitionIndex): Set<string> | null {
  const fields = new Set<string>();
  const props = (schema: unknown): boolean => {
    if (schema === null || typeof schema !== 'object') return false;
    const p = (schema as { properties?: unknown }).properties;
    if (p === null || typeof p !== 'object') return false;
    for (const k of Object.keys(p)) fields.add(k);
    return true;
  };
  // An intake data schema without properties says nothing: do not guess. None at all (a
  // procedure drawn in the designer) leaves the fields its forms and inputs declare.
  if (index.def.data !== undefined && !props(index.def.data)) return null;
  for (const { step } of index.steps) {
    props(step.form);
    for (const field of Object.keys(step.handoff?.outputs ?? {})) fields.add(field.split('.')[0]!);
  }
  for (const { action } of index.actions) props(action.inputs);
  for (const { effect } of index.effects) if (effect.type === 'set') fields.add(effect.path.split('.')[0]!);
  for (const f of ['applicantContact', 'intakePapers']) fields.add(f);
  return fields;
}

function checkExpression(rule: JsonLogicRule, pointer: string, step: string, fields: Set<string> | null): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const vars = varsOf(rule, pointer);
  if (vars.length === 0) {
    found.push(issue('DEF_HANDOFF_UNIT_EXPRESSION', pointer,
      `Biểu thức chọn đơn vị của bước "${step}" không đọc dữ liệu hồ sơ nào: dùng {"var": "data.<trường chứa mã đơn vị>"}, hoặc chọn một đơn vị cố định {"unit": "<mã>"}.`,
      `The unit expression of step "${step}" reads no dossier data: use {"var": "data.<field holding the unit code>"}, or name a fixed unit {"unit": "<code>"}.`));
  }
  for (const v of vars) {
    const [root, field] = v.path.split('.');
    if (!ROOTS.has(root ?? '')) {
      found.push(issue('DEF_HANDOFF_UNIT_EXPRESSION', v.pointer,
        `"${v.path}" không bắt đầu bằng "data.", "inputs." hoặc "dossier.": biểu thức chọn đơn vị của bước "${step}" sẽ luôn rỗng.`,
        `"${v.path}" does not start with "data.", "inputs." or "dossier.": the unit expression of step "${step}" would always be empty.`));
    } else if (root === 'data' && fields && field && !fields.has(field)) {
      found.push(issue('DEF_HANDOFF_UNIT_EXPRESSION', v.pointer,
        `Dữ liệu hồ sơ không có trường "${field}" (không khai báo trong "data", biểu mẫu hay dữ liệu nhập của thao tác nào): biểu thức chọn đơn vị của bước "${step}" sẽ luôn rỗng.`,
        `The dossier data has no field "${field}" (declared neither in "data" nor in any form or action inputs): the unit expression of step "${step}" would always be empty.`));
    }
  }
  return found;
}

/**
 * The `data.` fields a declared output or a deadline case reads: a field left unnamed (the
 * designer's "add" puts `{"var": "data."}` to be completed) is an error, a field the dossier
 * never holds a warning, since the output would come back empty or the case never apply.
 */
function checkDataReads(index: DefinitionIndex, fields: Set<string> | null): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const rules: { rule: unknown; pointer: string; what: { vi: string; en: string } }[] = [];
  (index.def.catalog.legalDeadline.cases ?? []).forEach((c, i) => rules.push({
    rule: c.when, pointer: `/catalog/legalDeadline/cases/${i}/when`,
    what: { vi: `điều kiện của trường hợp thời hạn ${i + 1} sẽ không bao giờ đúng`, en: `the condition of deadline case ${i + 1} would never hold` },
  }));
  for (const [name, output] of Object.entries(index.def.outputs ?? {})) {
    rules.push({
      rule: output.value, pointer: `/outputs/${esc(name)}/value`,
      what: { vi: `dữ liệu trả về "${name}" sẽ luôn rỗng`, en: `output "${name}" would always be empty` },
    });
  }
  for (const { rule, pointer, what } of rules) {
    for (const v of varsOf(rule, pointer)) {
      const [root, field, ...rest] = v.path.split('.');
      if (root !== 'data') continue;
      if (!field || rest.some((x) => x === '')) {
        found.push(issue('DEF_DATA_FIELD_MISSING', v.pointer,
          `Chưa điền tên trường sau "data." (đang là "${v.path}"): ${what.vi}.`,
          `The field after "data." is not filled in (it reads "${v.path}"): ${what.en}.`));
      } else if (fields && !fields.has(field)) {
        found.push(issue('DEF_DATA_FIELD_UNKNOWN', v.pointer,
          `Dữ liệu hồ sơ không có trường "${field}" (không khai báo trong "data", biểu mẫu hay dữ liệu nhập của thao tác nào): ${what.vi}.`,
          `The dossier data has no field "${field}" (declared neither in "data" nor in any form or action inputs): ${what.en}.`, 'warning'));
      }
    }
  }
  return found;
}

/** Run-time unit expressions and answer mappings of one definition, and the data fields outputs and deadline cases read; pure. */
export function checkHandoffs(index: DefinitionIndex): ValidationIssue[] {
  const fields = knownDataFields(index);
  const found: ValidationIssue[] = checkDataReads(index, fields);
  for (const { step, pointer } of index.steps) {
    const h = step.handoff;
    if (!h) continue;
    if (isUnitFromData(h.unit)) found.push(...checkExpression(h.unit.expression, `${pointer}/handoff/unit/expression`, step.id, fields));
    const seen = new Map<string, string>();
    for (const [field, name] of Object.entries(h.outputs ?? {})) {
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        found.push(issue('DEF_HANDOFF_OUTPUT_MAPPING', `${pointer}/handoff/outputs/${esc(field)}`,
          `Dữ liệu trả về "${name}" đã được ghi vào trường "${earlier}": mỗi dữ liệu trả về ghi vào một trường.`,
          `Output "${name}" is already written to field "${earlier}": each output goes to one field.`, 'warning'));
      }
      seen.set(name, field);
    }
  }
  return found;
}

/**
 * A parent definition against the procedures its hand-offs name (`lookup` gives the version
 * that would be spawned, or null when unknown): every mapped output must be declared by the
 * linked procedure, and a run-time unit's kinds must include one the linked procedure accepts.
 * Pure; pointers are into the parent.
 */
export function validateLinks(def: ProcedureDefinition, lookup: (procedure: string) => ProcedureDefinition | null): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const { step, pointer } of indexDefinition(def).steps) {
    const h = step.handoff;
    if (!h) continue;
    const child = lookup(h.procedure);
    if (!child) continue;
    const declared = Object.keys(child.outputs ?? {});
    for (const [field, name] of Object.entries(h.outputs ?? {})) {
      if (declared.includes(name)) continue;
      found.push(issue('DEF_HANDOFF_OUTPUT_UNKNOWN', `${pointer}/handoff/outputs/${esc(field)}`,
        declared.length
          ? `Thủ tục liên thông "${h.procedure}" không trả về "${name}" (chỉ trả về: ${quoted(declared)}).`
          : `Thủ tục liên thông "${h.procedure}" không khai báo dữ liệu trả về ("outputs"): không nhận được "${name}".`,
        declared.length
          ? `Linked procedure "${h.procedure}" returns no "${name}" (it returns: ${quoted(declared)}).`
          : `Linked procedure "${h.procedure}" declares no outputs: "${name}" cannot come back.`));
    }
    const accepts = child.catalog.competentUnitKinds;
    if (isUnitFromData(h.unit) && h.unit.kinds && accepts && !h.unit.kinds.some((k) => accepts.includes(k))) {
      found.push(issue('DEF_HANDOFF_UNIT_KINDS', `${pointer}/handoff/unit/kinds`,
        `Thủ tục liên thông "${h.procedure}" chỉ do đơn vị loại ${quoted(accepts)} giải quyết, không loại nào trong ${quoted(h.unit.kinds)}.`,
        `Linked procedure "${h.procedure}" is decided only by units of kind ${quoted(accepts)}, none of ${quoted(h.unit.kinds)}.`));
    }
  }
  return found;
}
