import { describe, expect, it } from 'vitest';
import { fieldsToSchema, optionsText, parseOptions, schemaToFields, type FieldRow } from './fields';

describe('field table', () => {
  const rows: FieldRow[] = [
    { key: 'reason', title: 'Lý do', type: 'string', required: true, options: [] },
    { key: 'pages', title: 'Số trang', type: 'number', required: false, options: [] },
    { key: 'urgent', title: 'Khẩn', type: 'boolean', required: false, options: [] },
    { key: 'birthDate', title: 'Ngày sinh', type: 'date', required: true, options: [] },
    { key: 'proof', title: 'Giấy tờ', type: 'enum', required: false, options: [{ value: 'a', vi: 'Giấy chứng sinh', en: 'Birth certificate' }, { value: 'b', vi: 'Văn bản làm chứng', en: 'Witness statement' }] },
  ];

  it('should write choices with their labels (oneOf), and read a bare enum as codes still to label', () => {
    const schema = fieldsToSchema(rows) as { properties: { [k: string]: unknown } };
    expect(schema.properties.proof).toEqual({ type: 'string', title: 'Giấy tờ', oneOf: [
      { const: 'a', title: 'Giấy chứng sinh', 'x-title-en': 'Birth certificate' },
      { const: 'b', title: 'Văn bản làm chứng', 'x-title-en': 'Witness statement' },
    ] });
    const bare = schemaToFields({ type: 'object', properties: { sex: { type: 'string', enum: ['male', 'female'] } } });
    expect(bare.rows[0]!.options).toEqual([{ value: 'male', vi: '', en: '' }, { value: 'female', vi: '', en: '' }]);
  });

  it('should read and write the options as the designer types them, one a line', () => {
    const text = 'male | Nam | Male\nfemale | Nữ';
    expect(parseOptions(text)).toEqual([{ value: 'male', vi: 'Nam', en: 'Male' }, { value: 'female', vi: 'Nữ', en: '' }]);
    expect(optionsText(parseOptions(text))).toBe(text);
  });

  it('should write an object schema and read it back unchanged', () => {
    const schema = fieldsToSchema(rows);
    expect(schema).toMatchObject({ type: 'object', required: ['reason', 'birthDate'] });
    expect((schema as { properties: { [k: string]: unknown } }).properties.birthDate).toEqual({ type: 'string', format: 'date', title: 'Ngày sinh' });
    expect(schemaToFields(schema)).toEqual({ rows, exact: true });
  });

  it('should give no schema for no rows and skip rows without a key', () => {
    expect(fieldsToSchema([])).toBeUndefined();
    expect(fieldsToSchema([{ key: ' ', title: 'x', type: 'string', required: false, options: [] }])).toBeUndefined();
  });

  it('should say when a schema holds more than the table shows', () => {
    expect(schemaToFields({ type: 'object', properties: { docs: { type: 'array', items: { type: 'string' } } } }).exact).toBe(false);
    expect(schemaToFields({ type: 'object', properties: { n: { type: 'string', maxLength: 3 } } }).exact).toBe(false);
  });
});
