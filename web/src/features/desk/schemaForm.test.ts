import { describe, it, expect } from 'vitest';
import type { RJSFValidationError } from '@rjsf/utils';
import { fieldLabel, formUiSchema, intakeFormSchema, issuesToErrorSchema, itemFieldLabel, localizeSchema, pointerSegments, pruneEmpty, splitTitle, translateErrors } from './schemaForm';

describe('splitTitle', () => {
  it('should take the Vietnamese head of a "Tiếng Việt (English)" title', () => {
    expect(splitTitle('Số định danh (Personal id)', 'vi')).toBe('Số định danh');
    expect(splitTitle('Số định danh (Personal id)', 'en')).toBe('Personal id');
  });
  it('should treat typographic apostrophes as English', () => {
    expect(splitTitle('Họ tên mẹ (Mother’s name)', 'vi')).toBe('Họ tên mẹ');
    expect(splitTitle('Họ tên mẹ (Mother’s name)', 'en')).toBe('Mother’s name');
  });
  it('should keep a Vietnamese parenthesis as it is', () => {
    expect(splitTitle('Họ và tên (viết in hoa)', 'vi')).toBe('Họ và tên (viết in hoa)');
  });
  it('should keep an English-only title with a parenthesis', () => {
    expect(splitTitle('Name (optional)', 'vi')).toBe('Name (optional)');
  });
  it('should keep a title without parenthesis', () => {
    expect(splitTitle('Họ và tên', 'en')).toBe('Họ và tên');
  });
});

describe('localizeSchema', () => {
  it('should rewrite nested titles but never enum values', () => {
    const given = {
      type: 'object',
      properties: {
        mode: { title: 'Hình thức (Mode)', enum: ['Ký (Sign)'] },
        items: { type: 'array', items: { type: 'object', properties: { n: { title: 'Số bản (Copies)' } } } },
      },
    };
    const out = localizeSchema(given, 'vi') as { properties: { mode: { title: string; enum: string[] }; items: { items: { properties: { n: { title: string } } } } } };
    expect(out.properties.mode.title).toBe('Hình thức');
    expect(out.properties.mode.enum).toEqual(['Ký (Sign)']);
    expect(out.properties.items.items.properties.n.title).toBe('Số bản');
    expect(given.properties.mode.title).toBe('Hình thức (Mode)');
  });
  it('should give an empty object form for a missing schema', () => {
    expect(localizeSchema(undefined, 'vi')).toEqual({ type: 'object' });
  });
});

describe('pointerSegments', () => {
  it('should decode escaped segments', () => {
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerSegments('')).toEqual([]);
  });
});

describe('issuesToErrorSchema', () => {
  const msg = (i: { message?: { vi: string } }) => i.message?.vi ?? '?';
  it('should place issues under the prefix on their fields', () => {
    const out = issuesToErrorSchema([
      { path: '/data/child/name', message: { vi: 'thiếu tên' } },
      { path: '/data/child/name', message: { vi: 'quá dài' } },
      { path: '/applicant/name', message: { vi: 'ngoài form' } },
      { message: { vi: 'không có đường dẫn' } },
    ], msg, '/data');
    expect(out).toEqual({ child: { name: { __errors: ['thiếu tên', 'quá dài'] } } });
  });
  it('should put an action\'s issues, pointed into the body under /inputs, on the fields of the action\'s form', () => {
    // the action dialog (ActionPanel) passes '/inputs': the server points into the request body
    expect(issuesToErrorSchema([{ path: '/inputs/reason', message: { vi: 'bắt buộc' } }, { path: '/expectedVersion', message: { vi: 'cũ' } }], msg, '/inputs'))
      .toEqual({ reason: { __errors: ['bắt buộc'] } });
  });
  it('should keep every issue without a prefix', () => {
    expect(issuesToErrorSchema([{ path: '/reason', message: { vi: 'bắt buộc' } }], msg)).toEqual({ reason: { __errors: ['bắt buộc'] } });
  });
});

describe('translateErrors', () => {
  it('should prefer the words of the format when there are some (a date), and the generic ones otherwise', () => {
    const templates = { format: 'Không đúng định dạng ({{format}})', format_date: 'Ngày không hợp lệ' };
    const err = (format: string): RJSFValidationError => ({ name: 'format', params: { format }, property: '.d', message: `must match format "${format}"`, stack: '' });
    expect(translateErrors([err('date'), err('email')], templates).map((e) => e.message)).toEqual(['Ngày không hợp lệ', 'Không đúng định dạng (email)']);
  });
  it('should fill the template from the AJV params', () => {
    const given: RJSFValidationError[] = [
      { name: 'minLength', params: { limit: 3 }, property: '.name', message: 'must NOT have fewer than 3 characters', stack: '' },
      { name: 'enum', params: { allowedValues: ['a', 'b'] }, property: '.x', message: 'must be equal to one of', stack: '' },
      { name: 'weird', params: {}, property: '.y', message: 'kept', stack: 'kept' },
    ];
    const out = translateErrors(given, { minLength: 'Ít nhất {{limit}} ký tự', enum: 'Chọn một trong: {{allowedValues}}' });
    expect(out[0]?.message).toBe('Ít nhất 3 ký tự');
    expect(out[1]?.message).toBe('Chọn một trong: a, b');
    expect(out[2]?.message).toBe('kept');
  });
});

describe('pruneEmpty', () => {
  it('should drop empty strings and nulls but keep zero and false', () => {
    expect(pruneEmpty({ a: '', b: 0, c: false, d: null, e: { f: '' }, g: ['', 'x'] })).toEqual({ b: 0, c: false, e: {}, g: ['x'] });
  });
});

describe('intakeFormSchema', () => {
  const labels = { applicant: 'Người nộp', name: 'Họ và tên người nộp', id: 'Số định danh', phone: 'Điện thoại', email: 'Thư', address: 'Địa chỉ', data: 'Tờ khai' };
  it('should put the applicant and the data side by side, with data titled', () => {
    const out = intakeFormSchema({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, labels) as { required: string[]; properties: { applicant: { required: string[] }; data: { title: string; required: string[] } } };
    expect(out.required).toEqual(['applicant', 'data']);
    expect(out.properties.applicant.required).toEqual(['name']);
    expect(out.properties.data.title).toBe('Tờ khai');
    expect(out.properties.data.required).toEqual(['a']);
  });
  it('should move $defs to the root so refs still resolve', () => {
    const out = intakeFormSchema({ $schema: 'x', $defs: { p: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/p' } } }, labels) as { $defs: unknown; properties: { data: { $defs?: unknown; $schema?: unknown } } };
    expect(out.$defs).toEqual({ p: { type: 'string' } });
    expect(out.properties.data.$defs).toBeUndefined();
    expect(out.properties.data.$schema).toBeUndefined();
  });
  it('should ask for the applicant only when the procedure has no data schema', () => {
    expect(Object.keys((intakeFormSchema(null, labels) as { properties: object }).properties)).toEqual(['applicant']);
  });
});

describe('formUiSchema', () => {
  it('should put required fields first in their listed order, nested objects too', () => {
    const ui = formUiSchema({
      type: 'object', required: ['signerName', 'papers'],
      properties: { mode: { enum: ['a'] }, papers: { type: 'integer' }, signerName: { type: 'string' }, reason: { type: 'string' },
        child: { type: 'object', required: ['b'], properties: { a: { type: 'string' }, b: { type: 'string' } } } },
    });
    expect(ui['ui:order']).toEqual(['signerName', 'papers', 'mode', 'reason', 'child']);
    expect(ui['child']).toEqual({ 'ui:order': ['b', 'a'] });
    expect(ui['reason']).toEqual({ 'ui:widget': 'textarea' });
  });
  it('should number the items of a list whose items have no title of their own "<title> (n)", not rjsf\'s "<title>-n"', () => {
    const ui = formUiSchema({ type: 'object', properties: { papers: { type: 'array', title: 'Giấy tờ cần bổ sung', items: { type: 'string' } }, named: { type: 'array', title: 'X', items: { type: 'string', title: 'Giấy tờ' } } } });
    const items = (ui['papers'] as { items: (item: unknown, index: number) => { [k: string]: unknown } }).items;
    expect(items('', 1)).toEqual({ 'ui:title': 'Giấy tờ cần bổ sung (2)' });
    expect(ui['named']).toBeUndefined();
  });
  it('should give nothing for a schema without properties', () => {
    expect(formUiSchema(true)).toEqual({});
  });
});

// The error box of an action dialog names the field an issue is about as the form labels it.
describe('fieldLabel', () => {
  // the birth registration's "register" action: a book number and, for a correction, its papers
  const inputs = {
    type: 'object',
    required: ['book'],
    $defs: { who: { type: 'object', title: 'Người ký (Signer)', properties: { name: { type: 'string', title: 'Họ tên (Name)' } } } },
    properties: {
      book: { type: 'string', minLength: 1, title: 'Quyển số (Register book)' },
      papers: { type: 'array', title: 'Giấy tờ (Papers)', items: { type: 'string' } },
      signer: { $ref: '#/$defs/who' },
      note: { type: 'string' },
    },
  };
  it('should name the field of an issue under /inputs by its title in the chosen language', () => {
    expect(fieldLabel(inputs, '/inputs/book', '/inputs', 'vi')).toBe('Quyển số');
    expect(fieldLabel(inputs, '/inputs/book', '/inputs', 'en')).toBe('Register book');
  });
  it('should name an item of an untitled list as the form does, and a field behind a $ref', () => {
    expect(fieldLabel(inputs, '/inputs/papers/1', '/inputs', 'vi')).toBe('Giấy tờ (2)');
    expect(fieldLabel(inputs, '/inputs/signer/name', '/inputs', 'en')).toBe('Name');
  });
  it('should know no label outside the form, for a field without a title, or a field the form lacks', () => {
    expect(fieldLabel(inputs, '/expectedVersion', '/inputs', 'vi')).toBeUndefined();
    expect(fieldLabel(inputs, '/inputs', '/inputs', 'vi')).toBeUndefined();
    expect(fieldLabel(inputs, '/inputs/note', '/inputs', 'vi')).toBeUndefined();
    expect(fieldLabel(inputs, '/inputs/nothing', '/inputs', 'vi')).toBeUndefined();
    expect(fieldLabel(undefined, '/inputs/book', '/inputs', 'vi')).toBeUndefined();
  });
  it('should name the field of a bulk item\'s issue at /items/<n>/inputs', () => {
    expect(itemFieldLabel(inputs, '/items/3/inputs/book', 'vi')).toBe('Quyển số');
    expect(itemFieldLabel(inputs, '/items/3/id', 'vi')).toBeUndefined();
    expect(itemFieldLabel(inputs, '/items/3/inputsx/book', 'vi')).toBeUndefined();
  });
});
