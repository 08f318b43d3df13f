/**
 * Declared outputs and deadline cases read dossier data: a field left unnamed (as the
 * designer's "add" buttons draw them, `{"var": "data."}`) or one the dossier never holds is
 * said with its pointer, before a province publishes an output that comes back empty or a
 * case that never applies (issue 15).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../src/definition/validate';
import type { ProcedureDefinition } from '../src/definition/types';

const read = (slug: string): ProcedureDefinition =>
  JSON.parse(readFileSync(new URL(`../../procedures/${slug}/procedure.json`, import.meta.url), 'utf8')) as ProcedureDefinition;

describe('data read by outputs and deadline cases', () => {
  it('should refuse a field left unnamed after "data." in an output and in a deadline case, pointing at the var', () => {
    // given the verification procedure, with an output and a case just added and not filled in
    const def = read('xac-minh-tinh-trang-hon-nhan');
    def.outputs = { ...def.outputs, added: { title: { vi: 'Dữ liệu trả về' }, value: { var: 'data.' } } };
    def.catalog.legalDeadline = { days: 3, cases: [{ when: { '==': [{ var: 'data.' }, true] }, days: 20 }] };
    // when it is validated
    const r = validateDefinition(def);
    // then both are errors, each at its var, in Vietnamese and English
    const missing = r.issues.filter((i) => i.code === 'DEF_DATA_FIELD_MISSING');
    expect(missing.map((i) => i.path).sort()).toEqual(['/catalog/legalDeadline/cases/0/when/==/0/var', '/outputs/added/value/var']);
    expect(r.ok).toBe(false);
    expect(missing[0]!.severity).toBeUndefined();
    expect(missing.map((i) => i.message.vi).join(' ')).toMatch(/Chưa điền tên trường sau "data\."/);
    expect(missing.map((i) => i.message.en).join(' ')).toMatch(/would never hold/);
  });

  it('should warn of a field the dossier never holds, and say nothing of declared ones', () => {
    // given outputs and a case reading a declared field and an undeclared one
    const def = read('xac-minh-tinh-trang-hon-nhan');
    const declared = Object.keys((def.data as { properties: object }).properties)[0]!;
    def.outputs = { known: { title: { vi: 'Có' }, value: { var: `data.${declared}` } }, unknown: { title: { vi: 'Không' }, value: { var: 'data.formerStatus' } } };
    def.catalog.legalDeadline = { days: 3, cases: [{ when: { var: `data.${declared}` }, days: 5 }] };
    // when it is validated
    const r = validateDefinition(def);
    // then only the undeclared field is said, as a warning at its var
    const found = r.issues.filter((i) => i.code.startsWith('DEF_DATA_FIELD'));
    expect(found).toEqual([expect.objectContaining({ code: 'DEF_DATA_FIELD_UNKNOWN', path: '/outputs/unknown/value/var', severity: 'warning' })]);
    expect(found[0]!.message.en).toMatch(/no field "formerStatus".*output "unknown" would always be empty/);
  });

  it('should check against the fields forms and inputs declare when a procedure drawn in the designer has no "data" schema', () => {
    // given a procedure with no intake data schema, whose intake form declares one field
    const def = read('xac-minh-tinh-trang-hon-nhan');
    delete def.data;
    def.steps[0]!.form = { type: 'object', properties: { previousStatus: { type: 'string', title: 'Tình trạng' } } };
    def.outputs = { status: { title: { vi: 'Tình trạng' }, value: { var: 'data.previousStatus' } }, typo: { title: { vi: 'Sai' }, value: { var: 'data.previusStatus' } } };
    // when it is validated
    const found = validateDefinition(def).issues.filter((i) => i.code.startsWith('DEF_DATA_FIELD'));
    // then the misspelt field is said, the declared one is not
    expect(found.map((i) => [i.code, i.path])).toEqual([['DEF_DATA_FIELD_UNKNOWN', '/outputs/typo/value/var']]);
  });

  it('should explain a provincial parameter key in words, not as a pattern', () => {
    const def = read('xac-minh-tinh-trang-hon-nhan');
    def.catalog.fees = [{ id: 'fee', name: { vi: 'Lệ phí' }, amount: 1000, param: 'Lệ phí HĐND' }];
    const found = validateDefinition(def).issues.filter((i) => i.path === '/catalog/fees/0/param');
    expect(found).toHaveLength(1);
    expect(found[0]!.message.vi).toMatch(/ví dụ "fee\.khai-sinh-qua-han"/);
    expect(found[0]!.message.vi).not.toMatch(/\^\[a-z\]/);
  });
});
