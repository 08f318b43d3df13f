import type { ValidateFunction } from 'ajv';
import { checkRule } from '../expr/jsonLogic';
import { describeAjvErrors, schemaCompiler } from './ajv';
import validateMeta from './generated/meta2020';
import { issue } from './issues';
import { regexRisk, type RegexRisk } from './regexSafety';
import { isUnitFromData, type JsonSchema, type LocalizedText, type ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

type SchemaCode = 'DEF_INVALID_FORM_SCHEMA' | 'DEF_INVALID_INPUTS_SCHEMA' | 'DEF_INVALID_DATA_SCHEMA';

// The 2020-12 meta-schema, precompiled at build time (Ajv standalone, engine/scripts/validators.ts): no
// code compiled at run time for it, in the server or the browser.
const metaValidator = (): ValidateFunction => validateMeta as unknown as ValidateFunction;
const META_2020 = new Set(['https://json-schema.org/draft/2020-12/schema', 'https://json-schema.org/draft/2020-12/schema#']);

const RISK_TEXT: { [risk in RegexRisk]: LocalizedText } = {
  nested: {
    vi: 'Biểu thức chính quy có thể chạy rất lâu (lặp lồng nhau): một phần lặp có độ dài thay đổi nằm trong một phần lặp khác, như "(a+)+", nên một chuỗi gần khớp có thể làm máy chủ chạy hàng phút. Bỏ lặp lồng nhau, ví dụ "^a+$", hoặc bắt đầu mỗi lần lặp bằng một dấu phân cách mà phần bên trong không khớp được, như "^[a-z]+( [a-z]+)*$"',
    en: 'The regular expression can take exponential time (nested repetition): a part of variable length is repeated inside another repetition, as in "(a+)+", so one nearly matching string can keep the server busy for minutes. Remove the nesting, e.g. "^a+$", or start each repeated part with a separator the inside cannot match, as in "^[a-z]+( [a-z]+)*$"',
  },
  overlap: {
    vi: 'Biểu thức chính quy có thể chạy rất lâu (các lựa chọn trùng nhau trong phần lặp): hai lựa chọn trong một phần lặp có thể bắt đầu bằng cùng một ký tự, như "(a|ab)*", nên một chuỗi gần khớp có thể làm máy chủ chạy hàng phút. Gộp các lựa chọn thành một lớp ký tự, ví dụ "[ab]*", hoặc làm chúng bắt đầu khác nhau',
    en: 'The regular expression can take exponential time (overlapping alternatives in a repetition): two alternatives inside a repetition can start with the same character, as in "(a|ab)*", so one nearly matching string can keep the server busy for minutes. Merge them into a character class, e.g. "[ab]*", or make them start differently',
  },
  unchecked: {
    vi: 'Không kiểm tra được biểu thức chính quy này có chạy quá lâu hay không (ví dụ vì có "(?<=" hoặc "(?<!"): viết lại cho đơn giản hơn',
    en: 'This regular expression could not be checked for exponential running time (for instance it has "(?<=" or "(?<!"): write it more simply',
  },
};

/** Escapes one JSON pointer segment (RFC 6901). */
const segment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every `pattern` and `patternProperties` key of a schema, wherever it sits: Ajv runs them
 * on every value checked (on the server's main thread, and in the browser), and a `$ref` may
 * point anywhere in the schema, so no place is skipped.
 */
function patternsOf(node: unknown, pointer: string, out: { source: string; pointer: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => patternsOf(item, `${pointer}/${i}`, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${segment(key)}`;
    if (key === 'pattern' && typeof value === 'string') out.push({ source: value, pointer: at });
    if (key === 'patternProperties' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const name of Object.keys(value)) out.push({ source: name, pointer: `${at}/${segment(name)}` });
    }
    patternsOf(value, at, out);
  }
}

/** Refuses patterns that may backtrack for exponential time (see regexSafety.ts). */
function checkPatterns(schema: JsonSchema, pointer: string, code: SchemaCode, what: LocalizedText): ValidationIssue[] {
  const found: { source: string; pointer: string }[] = [];
  patternsOf(schema, pointer, found);
  return found.flatMap(({ source, pointer: at }) => {
    const risk = regexRisk(source);
    if (risk === null) return [];
    return [issue(code, at,
      `${what.vi}: ${RISK_TEXT[risk].vi} (mẫu ${JSON.stringify(source)}).`,
      `${what.en}: ${RISK_TEXT[risk].en} (pattern ${JSON.stringify(source)}).`)];
  });
}

/**
 * Compiles each schema as a fresh AJV would, with one AJV for all of a definition's schemas: a
 * new one (formats, meta-schemas) for each doubled the cost of a small schema (about 1 ms rather
 * than 0.5). Forgetting every schema after each (`removeSchema()`) leaves no `$id` (nor nested
 * `$id`) behind to collide with, or be resolved by, the next one.
 */
function freshCompiler(): (schema: JsonSchema) => void {
  const compiler = schemaCompiler({ validateSchema: false });
  if (typeof compiler.removeSchema !== 'function') return (schema) => { schemaCompiler({ validateSchema: false }).compile(schema); };
  return (schema) => {
    try {
      compiler.compile(schema);
    } finally {
      compiler.removeSchema?.();
    }
  };
}

/** Checks an embedded JSON Schema the way the compiler uses it: a fresh AJV must compile it. */
function checkEmbeddedSchema(schema: JsonSchema, pointer: string, code: SchemaCode, what: LocalizedText, compile: (schema: JsonSchema) => void): ValidationIssue[] {
  if (code === 'DEF_INVALID_INPUTS_SCHEMA' && (typeof schema !== 'object' || schema['type'] !== 'object')) {
    return [issue(code, typeof schema === 'object' ? `${pointer}/type` : pointer,
      `${what.vi} phải là JSON Schema có "type": "object" (mỗi dữ liệu nhập là một trường trong "properties").`,
      `${what.en} must be a JSON Schema with "type": "object" (each input is a field in "properties").`)];
  }
  try {
    // Only 2020-12 is known (as Ajv's validateSchema said of any other $schema).
    const declared = typeof schema === 'object' ? schema['$schema'] : undefined;
    if (declared !== undefined && !META_2020.has(String(declared))) throw new Error(`no schema with key or ref "${String(declared)}"`);
    const meta = metaValidator();
    if (!meta(schema)) {
      return describeAjvErrors(meta.errors).map((d) => issue(code, `${pointer}${d.path}`,
        `${what.vi} không phải JSON Schema hợp lệ: ${d.message.vi}`,
        `${what.en} is not a valid JSON Schema: ${d.message.en}`));
    }
    // Already checked against the meta-schema just above.
    compile(schema);
    return checkPatterns(schema, pointer, code, what);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return [issue(code, pointer,
      `${what.vi} không dịch được thành JSON Schema: ${reason}. Chỉ hỗ trợ bản 2020-12 và "$ref" chỉ được trỏ vào bên trong lược đồ.`,
      `${what.en} does not compile as a JSON Schema: ${reason}. Only draft 2020-12 is supported, and "$ref" may only point inside the schema.`)];
  }
}

interface Embedded {
  schema: JsonSchema;
  pointer: string;
  code: SchemaCode;
  what: LocalizedText;
}

function embeddedSchemas(index: DefinitionIndex): Embedded[] {
  const all: Embedded[] = [];
  if (index.def.data !== undefined) {
    all.push({ schema: index.def.data, pointer: '/data', code: 'DEF_INVALID_DATA_SCHEMA', what: { vi: 'Lược đồ dữ liệu hồ sơ ("data")', en: 'The dossier data schema ("data")' } });
  }
  for (const { step, pointer } of index.steps) {
    if (step.form === undefined) continue;
    all.push({ schema: step.form, pointer: `${pointer}/form`, code: 'DEF_INVALID_FORM_SCHEMA', what: { vi: `Lược đồ biểu mẫu của bước "${step.id}"`, en: `The form schema of step "${step.id}"` } });
  }
  for (const { action, pointer } of index.actions) {
    if (action.inputs === undefined) continue;
    all.push({ schema: action.inputs, pointer: `${pointer}/inputs`, code: 'DEF_INVALID_INPUTS_SCHEMA', what: { vi: `Lược đồ dữ liệu nhập của thao tác "${action.id}"`, en: `The inputs schema of action "${action.id}"` } });
  }
  return all;
}

/**
 * Embedded schemas one definition may carry (dossier data, forms, action inputs). Each is
 * compiled here and again when the procedure is (half a millisecond to a millisecond of CPU
 * apiece, on the server's one thread); the shipped procedures have at most 15. The schema caps
 * steps and actions per step, not their product.
 */
export const MAX_EMBEDDED_SCHEMAS = 200;

function checkSchemas(index: DefinitionIndex): ValidationIssue[] {
  const all = embeddedSchemas(index);
  const over = all[MAX_EMBEDDED_SCHEMAS];
  if (over !== undefined) {
    // None is compiled: the cost is what is refused.
    return [issue('DEF_TOO_MANY_SCHEMAS', over.pointer,
      `Định nghĩa có ${all.length} lược đồ nhúng (dữ liệu hồ sơ, biểu mẫu, dữ liệu nhập của thao tác), quá mức tối đa ${MAX_EMBEDDED_SCHEMAS}; lược đồ thứ ${MAX_EMBEDDED_SCHEMAS + 1} ở đây. Bớt các thao tác có dữ liệu nhập riêng hoặc tách thủ tục.`,
      `The definition has ${all.length} embedded schemas (dossier data, forms, action inputs), more than the maximum of ${MAX_EMBEDDED_SCHEMAS}; schema ${MAX_EMBEDDED_SCHEMAS + 1} is here. Use fewer actions with inputs of their own, or split the procedure.`)];
  }
  const found: ValidationIssue[] = [];
  // The compiler registers the data and inputs schemas in one AJV, where a repeated `$id` fails.
  const ids = new Map<string, string>();
  const compile = freshCompiler();
  for (const { schema, pointer, code, what } of all) {
    found.push(...checkEmbeddedSchema(schema, pointer, code, what, compile));
    const id = typeof schema === 'object' ? schema['$id'] : undefined;
    if (typeof id !== 'string' || code === 'DEF_INVALID_FORM_SCHEMA') continue;
    const earlier = ids.get(id);
    if (earlier === undefined) {
      ids.set(id, pointer);
      continue;
    }
    found.push(issue(code, `${pointer}/$id`,
      `${what.vi} có "$id" "${id}" trùng với lược đồ ở ${earlier}: đổi hoặc bỏ "$id".`,
      `${what.en} has "$id" "${id}", already used by the schema at ${earlier}: rename or remove "$id".`));
  }
  return found;
}

/** Every JSON Logic rule of the definition, with where it sits. */
function rulesOf(index: DefinitionIndex): { rule: unknown; pointer: string }[] {
  const { catalog } = index.def;
  const rules: { rule: unknown; pointer: string }[] = [];
  catalog.fees.forEach((f, i) => {
    if (f.when !== undefined) rules.push({ rule: f.when, pointer: `/catalog/fees/${i}/when` });
    if (f.quantity !== undefined) rules.push({ rule: f.quantity, pointer: `/catalog/fees/${i}/quantity` });
  });
  (catalog.legalDeadline.cases ?? []).forEach((c, i) => rules.push({ rule: c.when, pointer: `/catalog/legalDeadline/cases/${i}/when` }));
  catalog.documents.forEach((d, i) => {
    if (d.when !== undefined) rules.push({ rule: d.when, pointer: `/catalog/documents/${i}/when` });
  });
  for (const { action, pointer } of index.actions) {
    if (action.guard !== undefined) rules.push({ rule: action.guard, pointer: `${pointer}/guard` });
  }
  for (const entry of index.targets) {
    if (typeof entry.target === 'string') continue;
    entry.target.forEach((route, k) => {
      if (route.when !== undefined) rules.push({ rule: route.when, pointer: `${entry.pointer}/${k}/when` });
    });
  }
  const mapping = (data: { [field: string]: unknown } | undefined, pointer: string): void => {
    for (const [field, rule] of Object.entries(data ?? {})) rules.push({ rule, pointer: `${pointer}/${field.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  };
  for (const { effect, pointer } of index.effects) {
    if (effect.type === 'set') rules.push({ rule: effect.value, pointer: `${pointer}/value` });
    if (effect.type === 'spawn') mapping(effect.data, `${pointer}/data`);
  }
  for (const { step, pointer } of index.steps) {
    mapping(step.handoff?.data, `${pointer}/handoff/data`);
    const unit = step.handoff?.unit;
    if (unit !== undefined && isUnitFromData(unit)) rules.push({ rule: unit.expression, pointer: `${pointer}/handoff/unit/expression` });
  }
  for (const [name, output] of Object.entries(index.def.outputs ?? {})) {
    rules.push({ rule: output.value, pointer: `/outputs/${name}/value` });
  }
  return rules;
}

function checkRules(index: DefinitionIndex): ValidationIssue[] {
  return rulesOf(index).flatMap(({ rule, pointer }) => checkRule(rule).map((p) => issue('DEF_INVALID_GUARD', `${pointer}${p.path}`,
    `${p.message.vi}. Dùng các toán tử JSON Logic chuẩn (==, and, or, var, in, …).`,
    `${p.message.en}. Use standard JSON Logic operators (==, and, or, var, in, …).`)));
}

/** Route lists: warn when no route is the else, or when routes follow the else. */
function checkRoutes(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const entry of index.targets) {
    if (typeof entry.target === 'string') continue;
    const elseAt = entry.target.findIndex((r) => r.when === undefined);
    if (elseAt === -1) {
      found.push(issue('DEF_CONDITIONAL_ROUTE_NO_ELSE', entry.pointer,
        'Mọi nhánh đều có điều kiện: nếu không điều kiện nào đúng thì thao tác không chuyển bước. Thêm một nhánh cuối không có "when".',
        'Every route has a condition: when none holds the action goes nowhere. Add a last route without "when".', 'warning'));
    } else if (elseAt < entry.target.length - 1) {
      found.push(issue('DEF_ROUTE_AFTER_ELSE', `${entry.pointer}/${elseAt + 1}`,
        `Nhánh thứ ${elseAt + 1} không có điều kiện nên các nhánh sau nó không bao giờ được chọn: đưa nhánh không điều kiện xuống cuối.`,
        `Route ${elseAt + 1} has no condition, so the routes after it are never taken: move the route without "when" to the end.`, 'warning'));
    }
  }
  return found;
}

/** An action that extends the deadline requires how long and why. */
function checkExtensions(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const { action, pointer } of index.actions) {
    if (!(action.effects ?? []).some((e) => e.type === 'extendDeadline')) continue;
    const inputs = action.inputs;
    const required = typeof inputs === 'object' && Array.isArray(inputs['required']) ? (inputs['required'] as unknown[]) : [];
    if (required.includes('reason') && (required.includes('days') || required.includes('hours'))) continue;
    found.push(issue('DEF_EXTEND_NEEDS_INPUT', `${pointer}/inputs`,
      `Thao tác "${action.id}" gia hạn nên dữ liệu nhập phải bắt buộc "days" (hoặc "hours") và "reason", ví dụ {"type":"object","properties":{"days":{"type":"integer","minimum":1},"reason":{"type":"string","minLength":1}},"required":["days","reason"]}.`,
      `Action "${action.id}" extends the deadline, so its inputs must require "days" (or "hours") and "reason", e.g. {"type":"object","properties":{"days":{"type":"integer","minimum":1},"reason":{"type":"string","minLength":1}},"required":["days","reason"]}.`));
  }
  return found;
}

/** Embedded JSON Schemas, JSON Logic rules, route lists and extension inputs; pure. */
export function checkExpressions(index: DefinitionIndex): ValidationIssue[] {
  return [...checkSchemas(index), ...checkRules(index), ...checkRoutes(index), ...checkExtensions(index)];
}
