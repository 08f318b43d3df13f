import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import type { LocalizedText } from './types';

/** A fresh AJV (JSON Schema 2020-12) with formats; no side effects. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

const KEYWORD_VI: { [keyword: string]: (e: ErrorObject) => string } = {
  required: (e) => `thiếu trường bắt buộc "${String(e.params['missingProperty'])}"`,
  type: (e) => `phải có kiểu ${String(e.params['type'])}`,
  enum: (e) => `phải là một trong: ${JSON.stringify(e.params['allowedValues'])}`,
  const: (e) => `phải bằng ${JSON.stringify(e.params['allowedValue'])}`,
  additionalProperties: (e) => `không được có trường "${String(e.params['additionalProperty'])}"`,
  minLength: (e) => `phải dài ít nhất ${String(e.params['limit'])} ký tự`,
  maxLength: (e) => `không được dài quá ${String(e.params['limit'])} ký tự`,
  minimum: (e) => `phải ≥ ${String(e.params['limit'])}`,
  maximum: (e) => `phải ≤ ${String(e.params['limit'])}`,
  exclusiveMinimum: (e) => `phải > ${String(e.params['limit'])}`,
  pattern: (e) => `không đúng mẫu ${String(e.params['pattern'])}`,
  format: (e) => `không đúng định dạng ${String(e.params['format'])}`,
  minItems: (e) => `phải có ít nhất ${String(e.params['limit'])} phần tử`,
  maxItems: (e) => `không được có quá ${String(e.params['limit'])} phần tử`,
  oneOf: () => 'phải khớp đúng một trong các dạng cho phép',
  anyOf: () => 'phải khớp ít nhất một trong các dạng cho phép',
  uniqueItems: () => 'các phần tử không được trùng nhau',
};

/** Turns one AJV error into a JSON pointer and a message in Vietnamese and English. */
export function describeAjvError(e: ErrorObject): { path: string; message: LocalizedText } {
  const path = e.keyword === 'required' ? `${e.instancePath}/${String(e.params['missingProperty'])}` : e.instancePath;
  const where = e.instancePath === '' ? '' : e.instancePath;
  const vi = KEYWORD_VI[e.keyword]?.(e) ?? `không hợp lệ (${e.keyword})`;
  const en = e.keyword === 'additionalProperties'
    ? `must not have property "${String(e.params['additionalProperty'])}"`
    : e.message ?? `is invalid (${e.keyword})`;
  return {
    path,
    message: {
      vi: where ? `${where}: ${vi}` : vi.charAt(0).toUpperCase() + vi.slice(1),
      en: where ? `${where}: ${en}` : en.charAt(0).toUpperCase() + en.slice(1),
    },
  };
}
