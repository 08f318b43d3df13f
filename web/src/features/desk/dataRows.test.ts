import { describe, expect, it } from 'vitest';
import { dataRows, fieldOrder, showValue } from './dataRows';

// The birth registration form as the shipped definition writes it, keys re-sorted as jsonb returns them.
const schema = {
  type: 'object',
  required: ['childName', 'dateOfBirth', 'sex'],
  'x-order': ['childName', 'dateOfBirth', 'sex', 'ethnicity'],
  properties: {
    dateOfBirth: { type: 'string', format: 'date', title: 'Ngày sinh (Date of birth)' },
    childName: { type: 'string', title: 'Họ, chữ đệm và tên của trẻ (Child’s full name)' },
    ethnicity: { type: 'string', title: 'Dân tộc (Ethnicity)' },
    onTime: { type: 'boolean', title: 'Đăng ký trong hạn 60 ngày kể từ ngày sinh (Within 60 days of birth)' },
    sex: { title: 'Giới tính (Sex)', oneOf: [{ const: 'male', title: 'Nam', 'x-title-en': 'Male' }, { const: 'female', title: 'Nữ', 'x-title-en': 'Female' }] },
  },
};
const words = { yes: 'Có', no: 'Không' };

describe('the data tab', () => {
  it('should read fields in the form order with their titles, dates dd/mm/yyyy and choice labels', () => {
    const data = { sex: 'female', onTime: true, dateOfBirth: '2026-11-28', childName: 'Nguyễn Văn An', legacyNote: 'x', ethnicity: 'Kinh' };
    expect(dataRows(schema, data, 'vi', words)).toEqual([
      { key: 'childName', label: 'Họ, chữ đệm và tên của trẻ', text: 'Nguyễn Văn An' },
      { key: 'dateOfBirth', label: 'Ngày sinh', text: '28/11/2026' },
      { key: 'sex', label: 'Giới tính', text: 'Nữ' },
      { key: 'ethnicity', label: 'Dân tộc', text: 'Kinh' },
      { key: 'onTime', label: 'Đăng ký trong hạn 60 ngày kể từ ngày sinh', text: 'Có' },
      { key: 'legacyNote', label: 'legacyNote', text: 'x' },
    ]);
    expect(dataRows(schema, { sex: 'male' }, 'en', words)).toEqual([{ key: 'sex', label: 'Sex', text: 'Male' }]);
  });

  it('should order x-order first, then required, then the rest; and ignore x-order names that are not fields', () => {
    expect(fieldOrder({ ...schema, 'x-order': ['ethnicity', 'nope'] })).toEqual(['ethnicity', 'childName', 'dateOfBirth', 'sex', 'onTime']);
  });

  it('should show a value without a schema as it is, except ISO dates', () => {
    expect(showValue(undefined, '2026-01-05', 'vi', words)).toBe('05/01/2026');
    expect(showValue(undefined, 3, 'vi', words)).toBe('3');
    expect(showValue(undefined, '', 'vi', words)).toBe('—');
  });
});

import { dateValue, dmyToIso, maskDmy } from './DateWidget';

describe('dates typed at the desk', () => {
  it('should read dd/mm/yyyy as typed, slashes or not, and only a real date', () => {
    expect(maskDmy('15112026')).toBe('15/11/2026');
    expect(maskDmy('1511')).toBe('15/11');
    expect(dmyToIso('15/11/2026')).toBe('2026-11-15');
    expect(dmyToIso('31/02/2026')).toBeUndefined();
    expect(dmyToIso('15/11/20')).toBeUndefined();
  });
});

describe('what a typed date puts in the form', () => {
  it('should hold the ISO date for a real date, nothing for an empty field, and the text itself otherwise (so validation flags it)', () => {
    expect(dateValue('15/11/2026')).toBe('2026-11-15');
    expect(dateValue('')).toBeUndefined();
    expect(dateValue('31/02/2027')).toBe('31/02/2027');
    expect(dateValue('15/11')).toBe('15/11');
  });
});
