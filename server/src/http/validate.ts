import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvErrors } from '@motcua/engine';
import { HttpError, MAX_ISSUES } from './errors';

const strict = createAjv({ allErrors: true, removeAdditional: false });
// Query strings arrive as text: coerce "5" to 5 and "true" to true before checking.
const coercing = createAjv({ allErrors: true, coerceTypes: 'array', useDefaults: true });
const caches = { strict: new WeakMap<object, ValidateFunction>(), coercing: new WeakMap<object, ValidateFunction>() };

export type Where = 'body' | 'query' | 'params';

/** PostgreSQL `integer`: every integer the API takes (pages, versions, scores, counts) fits it. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

/**
 * A copy of the schema in which every integer without bounds gets those of a PostgreSQL
 * `integer`: JSON Schema's `integer` admits 1e20, which the database then refuses (a 500).
 */
export function boundIntegers(schema: object): object {
  const copy = JSON.parse(JSON.stringify(schema)) as object;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (node === null || typeof node !== 'object') return;
    const n = node as { [k: string]: unknown };
    const type = n['type'];
    if (type === 'integer' || (Array.isArray(type) && type.includes('integer'))) {
      if (n['maximum'] === undefined && n['exclusiveMaximum'] === undefined) n['maximum'] = INT_MAX;
      if (n['minimum'] === undefined && n['exclusiveMinimum'] === undefined) n['minimum'] = INT_MIN;
    }
    for (const v of Object.values(n)) walk(v);
  };
  walk(copy);
  return copy;
}

/**
 * Checks a value against a JSON Schema; throws a 400/422 listing its problems with JSON pointers,
 * the first MAX_ISSUES of them (a 1 MB body of 120,000 unknown keys answered 12 MB of issues).
 */
export function check<T>(schema: object, value: unknown, where: Where): T {
  const mode = where === 'body' ? 'strict' : 'coercing';
  let validate = caches[mode].get(schema);
  if (!validate) {
    validate = (mode === 'strict' ? strict : coercing).compile(boundIntegers(schema));
    caches[mode].set(schema, validate);
  }
  if (!validate(value)) {
    const label = { body: { vi: 'Nội dung yêu cầu', en: 'Request body' }, query: { vi: 'Tham số truy vấn', en: 'Query parameters' }, params: { vi: 'Đường dẫn', en: 'Path parameters' } }[where];
    throw new HttpError(where === 'body' ? 422 : 400, 'VALIDATION_FAILED', {
      vi: `${label.vi} không hợp lệ`, en: `${label.en} invalid`,
    // Raw errors come in small groups (a oneOf's branches) that describe as one: ten times
    // the issues kept is room for any group, and still no work in proportion to the body.
    }, describeAjvErrors(validate.errors?.slice(0, 10 * MAX_ISSUES)).slice(0, MAX_ISSUES));
  }
  return value as T;
}
