import { describe, expect, it } from 'vitest';
import { fieldsToSchema, schemaToFields, type FieldRow } from './fields';

describe('field table', () => {
  const rows: FieldRow[] = [
    { key: 'reason', title: 'Lý do', type: 'string', required: true, options: [] },
    { key: 'pages', title: 'Số trang', type: 'number', required: false, options: [] },
    { key: 'urgent', title: 'Khẩn', type: 'boolean', required: false, options: [] },
    { key: 'birthDate', title: 'Ngày sinh', type: 'date', required: true, options: [] },
    { key: 'proof', title: 'Giấy tờ', type: 'enum', required: false, options: ['a', 'b'] },
  ];

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
