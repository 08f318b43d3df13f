import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { LocalizedText } from './types';

/** What the engine needs to check data against a procedure's own schemas (forms, inputs). */
export interface SchemaCompiler {
  /** Throws when the schema cannot be used (an unresolvable $ref, a bad pattern). */
  compile(schema: object | boolean): ValidateFunction;
  /** With no argument, forgets every schema compiled or added (meta-schemas stay), as Ajv's does. */
  removeSchema?(schemaKeyRef?: undefined): unknown;
}

let compilerFactory: (() => SchemaCompiler) | null = null;

/**
 * Replaces how the engine turns a procedure's own schemas into validators. The web app
 * installs an interpreting validator (no `new Function`: its Content-Security-Policy has no
 * 'unsafe-eval'); the server keeps Ajv. Its errors must have Ajv's shape.
 */
export function installSchemaCompiler(factory: () => SchemaCompiler): void {
  compilerFactory = factory;
}

/** A compiler for a procedure's own schemas: the one installed, else a fresh Ajv with `options`. */
export function schemaCompiler(options: Options = {}): SchemaCompiler {
  return compilerFactory ? compilerFactory() : createAjv(options);
}

/** A fresh AJV (JSON Schema 2020-12) with formats; options override the defaults; no side effects. */
export function createAjv(options: Options = {}): Ajv2020 {
  // logger: false — AJV otherwise warns on the console about unknown meta-schemas.
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, logger: false, ...options });
  addFormats(ajv);
  return ajv;
}

/** Escapes one JSON pointer segment (RFC 6901). */
function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

const KEYWORD_VI: { [keyword: string]: (e: ErrorObject) => string } = {
  required: (e) => `thiếu trường bắt buộc "${String(e.params['missingProperty'])}"`,
  type: (e) => `phải có kiểu ${String(e.params['type']).split(',').join(' hoặc ')}`,
  enum: (e) => `phải là một trong: ${JSON.stringify(e.params['allowedValues'])}`,
  const: (e) => `phải bằng ${JSON.stringify(e.params['allowedValue'])}`,
  additionalProperties: (e) => `không được có trường "${String(e.params['additionalProperty'])}"`,
  unevaluatedProperties: (e) => `không được có trường "${String(e.params['unevaluatedProperty'])}"`,
  minLength: (e) => `phải dài ít nhất ${String(e.params['limit'])} ký tự`,
  maxLength: (e) => `không được dài quá ${String(e.params['limit'])} ký tự`,
  minimum: (e) => `phải ≥ ${String(e.params['limit'])}`,
  maximum: (e) => `phải ≤ ${String(e.params['limit'])}`,
  exclusiveMinimum: (e) => `phải > ${String(e.params['limit'])}`,
  exclusiveMaximum: (e) => `phải < ${String(e.params['limit'])}`,
  multipleOf: (e) => `phải là bội số của ${String(e.params['multipleOf'])}`,
  pattern: (e) => `không đúng mẫu ${String(e.params['pattern'])}`,
  format: (e) => `không đúng định dạng ${String(e.params['format'])}`,
  minItems: (e) => `phải có ít nhất ${String(e.params['limit'])} phần tử`,
  maxItems: (e) => `không được có quá ${String(e.params['limit'])} phần tử`,
  minProperties: (e) => `phải có ít nhất ${String(e.params['limit'])} trường`,
  maxProperties: (e) => `không được có quá ${String(e.params['limit'])} trường`,
  propertyNames: (e) => `tên trường "${String(e.params['propertyName'])}" không hợp lệ`,
  dependentRequired: (e) => `thiếu trường "${String(e.params['missingProperty'])}" (bắt buộc khi có "${String(e.params['property'])}")`,
  oneOf: () => 'phải khớp đúng một trong các dạng cho phép',
  anyOf: () => 'phải khớp ít nhất một trong các dạng cho phép',
  not: () => 'không được khớp dạng bị cấm',
  uniqueItems: () => 'các phần tử không được trùng nhau',
  discriminator: (e) => e.params['error'] === 'mapping'
    ? `giá trị "${String(e.params['tagValue'])}" của "${String(e.params['tag'])}" không được hỗ trợ`
    : `phải có trường "${String(e.params['tag'])}" kiểu chuỗi`,
  'false schema': () => 'không được có giá trị này',
};

const KEYWORD_EN: { [keyword: string]: (e: ErrorObject) => string } = {
  additionalProperties: (e) => `must not have property "${String(e.params['additionalProperty'])}"`,
  unevaluatedProperties: (e) => `must not have property "${String(e.params['unevaluatedProperty'])}"`,
  required: (e) => `must have required property "${String(e.params['missingProperty'])}"`,
  type: (e) => `must be ${String(e.params['type']).split(',').join(' or ')}`,
  enum: (e) => `must be one of: ${JSON.stringify(e.params['allowedValues'])}`,
  discriminator: (e) => e.params['error'] === 'mapping'
    ? `"${String(e.params['tag'])}" value "${String(e.params['tagValue'])}" is not supported`
    : `must have a string property "${String(e.params['tag'])}"`,
};

/** Where an error points: the missing or unexpected property itself, not its parent. */
function errorPath(e: ErrorObject): string {
  if (e.keyword === 'required' || e.keyword === 'dependentRequired') return `${e.instancePath}/${pointerSegment(String(e.params['missingProperty']))}`;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${pointerSegment(String(e.params['additionalProperty']))}`;
  if (e.keyword === 'unevaluatedProperties') return `${e.instancePath}/${pointerSegment(String(e.params['unevaluatedProperty']))}`;
  if (e.keyword === 'discriminator') return `${e.instancePath}/${pointerSegment(String(e.params['tag']))}`;
  return e.instancePath;
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** What an AJV error says of the value, in Vietnamese and English, lower-case ("phải dài ít nhất 1 ký tự"). */
function words(e: ErrorObject): LocalizedText {
  return {
    vi: KEYWORD_VI[e.keyword]?.(e) ?? `không hợp lệ (${e.keyword})`,
    en: KEYWORD_EN[e.keyword]?.(e) ?? e.message ?? `is invalid (${e.keyword})`,
  };
}

/** Turns one AJV error into a JSON pointer and a message in Vietnamese and English; the message starts with where it points. */
export function describeAjvError(e: ErrorObject): { path: string; message: LocalizedText } {
  const where = e.instancePath;
  const { vi, en } = words(e);
  return {
    path: errorPath(e),
    message: {
      vi: where ? `${where}: ${vi}` : capitalised(vi),
      en: where ? `${where}: ${en}` : capitalised(en),
    },
  };
}

/**
 * Like {@link describeAjvError}, but the message is the words alone, said of the field the
 * pointer names: a form shows it under that field, where "/certificationNo: …" would only
 * repeat the pointer in code (a required field says "Bắt buộc phải nhập", not its own
 * key's name). The pointer stays in `path`.
 */
export function describeAjvErrorPlain(e: ErrorObject): { path: string; message: LocalizedText } {
  if (e.keyword === 'required') return { path: errorPath(e), message: { vi: 'Bắt buộc phải nhập', en: 'Required' } };
  const { vi, en } = words(e);
  return { path: errorPath(e), message: { vi: capitalised(vi), en: capitalised(en) } };
}

const isUnder = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** The schema path of the object holding a keyword: `#/$defs/x/oneOf` → `#/$defs/x`. */
const holderOf = (schemaPath: string): string => schemaPath.slice(0, schemaPath.lastIndexOf('/'));

// A failed composite is preceded by the errors of all its branches. A branch that failed
// inside the value matched its shape, so those deeper errors are what to fix; failing that,
// the errors of branches whose `type` fitted; when no branch fitted, one "must be A or B".
// An `if` error always follows the `then`/`else` errors that explain it, so it is dropped.

/** Collapses AJV's `oneOf`/`anyOf` and `if`/`then` cascades into the errors that say what to fix; pure. */
export function collapseAjvErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') {
      out.push(e);
      continue;
    }
    // Branch errors sit just before the composite: inline branches share its schema path,
    // `$ref` branches come from elsewhere; a sibling keyword of the same schema ends the run.
    const holder = holderOf(e.schemaPath);
    const group: ErrorObject[] = [];
    for (let last = out.at(-1); last && isUnder(last.instancePath, e.instancePath)
      && (last.schemaPath.startsWith(`${e.schemaPath}/`) || !last.schemaPath.startsWith(`${holder}/`)); last = out.at(-1)) {
      group.unshift(out.pop() as ErrorObject);
    }
    // An inline branch that failed on `type` did not fit at all: its other errors are noise.
    const branchOf = (g: ErrorObject): string | undefined => (g.schemaPath.startsWith(`${e.schemaPath}/`)
      ? g.schemaPath.slice(e.schemaPath.length + 1).split('/')[0] : undefined);
    const isTypeError = (g: ErrorObject): boolean => g.keyword === 'type' && g.instancePath === e.instancePath;
    const unfit = new Set(group.filter(isTypeError).map(branchOf).filter((b) => b !== undefined));
    const deeper = group.filter((g) => g.instancePath !== e.instancePath);
    const misfits = group.filter(isTypeError);
    const fits = group.filter((g) => !isTypeError(g) && !unfit.has(branchOf(g) ?? ''));
    const consts = fits.filter((g) => g.keyword === 'const');
    if (deeper.length > 0) {
      out.push(...deeper);
    } else if (consts.length > 0 && consts.length === fits.length) {
      // A choice among fixed values (a channel, a kind): one error naming every allowed value.
      const allowedValues = consts.map((g) => g.params['allowedValue']);
      out.push({ ...e, keyword: 'enum', params: { allowedValues }, message: `must be one of ${JSON.stringify(allowedValues)}` });
    } else if (fits.length > 0) {
      out.push(...fits);
    } else if (misfits.length > 0) {
      const types = [...new Set(misfits.flatMap((m) => String(m.params['type']).split(',')))];
      out.push({ ...e, keyword: 'type', params: { type: types.join(',') }, message: `must be ${types.join(' or ')}` });
    } else {
      out.push(e);
    }
  }
  return out;
}

/** Describes AJV errors after collapsing cascades, one issue per place and message; pure. */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): { path: string; message: LocalizedText }[] {
  const seen = new Set<string>();
  const described: { path: string; message: LocalizedText }[] = [];
  for (const d of collapseAjvErrors(errors ?? []).map(describeAjvError)) {
    const key = `${d.path}\u0000${d.message.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    described.push(d);
  }
  return described;
}
