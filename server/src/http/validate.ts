import type { ValidateFunction } from 'ajv';
import { createAjv, describeAjvErrors } from '@motcua/engine';
import { HttpError } from './errors';

const strict = createAjv({ allErrors: true, removeAdditional: false });
// Query strings arrive as text: coerce "5" to 5 and "true" to true before checking.
const coercing = createAjv({ allErrors: true, coerceTypes: 'array', useDefaults: true });
const caches = { strict: new WeakMap<object, ValidateFunction>(), coercing: new WeakMap<object, ValidateFunction>() };

export type Where = 'body' | 'query' | 'params';

/** Checks a value against a JSON Schema; throws a 400/422 listing every problem with a JSON pointer. */
export function check<T>(schema: object, value: unknown, where: Where): T {
  const mode = where === 'body' ? 'strict' : 'coercing';
  let validate = caches[mode].get(schema);
  if (!validate) {
    validate = (mode === 'strict' ? strict : coercing).compile(schema);
    caches[mode].set(schema, validate);
  }
  if (!validate(value)) {
    const label = { body: { vi: 'Nội dung yêu cầu', en: 'Request body' }, query: { vi: 'Tham số truy vấn', en: 'Query parameters' }, params: { vi: 'Đường dẫn', en: 'Path parameters' } }[where];
    throw new HttpError(where === 'body' ? 422 : 400, 'VALIDATION_FAILED', {
      vi: `${label.vi} không hợp lệ`, en: `${label.en} invalid`,
    }, describeAjvErrors(validate.errors));
  }
  return value as T;
}
