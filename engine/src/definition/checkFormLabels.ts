/**
 * What officers read in a form must be words, not keys: every choice of the dossier data
 * form and of the step forms carries a Vietnamese title and an English one, written as
 * `oneOf: [{ "const": "male", "title": "Nam", "x-title-en": "Male" }, …]`; a bare `enum`
 * shows its codes (`male`, `birth-certificate`) in every select. `x-order` lists a form's
 * fields in the order of the official declaration form (tờ khai), since stored definitions
 * lose the order of `properties` (docs/forms.md).
 */
import { issue } from './issues';
import type { JsonSchema, ValidationIssue } from './types';
import type { DefinitionIndex } from './walk';

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function checkNode(node: unknown, pointer: string, found: ValidationIssue[]): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkNode(n, `${pointer}/${i}`, found));
    return;
  }
  if (!isObject(node)) return;
  if (Array.isArray(node['enum'])) {
    found.push(issue('DEF_ENUM_WITHOUT_LABELS', `${pointer}/enum`,
      `Danh sách lựa chọn không có nhãn: cán bộ sẽ thấy mã (${node['enum'].slice(0, 3).map((v) => JSON.stringify(v)).join(', ')}…). Viết "oneOf" gồm các mục {"const": mã, "title": nhãn tiếng Việt, "x-title-en": nhãn tiếng Anh}.`,
      `A choice list without labels: officers will read its codes (${node['enum'].slice(0, 3).map((v) => JSON.stringify(v)).join(', ')}…). Write "oneOf" with items {"const": code, "title": Vietnamese label, "x-title-en": English label}.`, 'warning'));
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = node[key];
    if (!Array.isArray(options)) continue;
    options.forEach((o, i) => {
      if (!isObject(o) || !('const' in o)) return;
      const missing = [typeof o['title'] === 'string' && o['title'].trim() !== '' ? null : '"title"', typeof o['x-title-en'] === 'string' && o['x-title-en'].trim() !== '' ? null : '"x-title-en"'].filter((m) => m !== null);
      if (missing.length === 0) return;
      found.push(issue('DEF_ENUM_WITHOUT_LABELS', `${pointer}/${key}/${i}`,
        `Lựa chọn ${JSON.stringify(o['const'])} thiếu ${missing.join(' và ')} (nhãn tiếng Việt "title", nhãn tiếng Anh "x-title-en").`,
        `The choice ${JSON.stringify(o['const'])} lacks ${missing.join(' and ')} (Vietnamese label "title", English label "x-title-en").`, 'warning'));
    });
  }
  if ('x-title-en' in node && typeof node['x-title-en'] !== 'string') {
    found.push(issue('DEF_ENUM_WITHOUT_LABELS', `${pointer}/x-title-en`, '"x-title-en" phải là chuỗi (nhãn tiếng Anh).', '"x-title-en" must be a string (the English label).', 'warning'));
  }
  if ('x-order' in node) {
    const order = node['x-order'];
    const props = isObject(node['properties']) ? Object.keys(node['properties']) : [];
    if (!Array.isArray(order) || order.some((k) => typeof k !== 'string')) {
      found.push(issue('DEF_FORM_ORDER', `${pointer}/x-order`, '"x-order" phải là danh sách tên trường.', '"x-order" must be a list of field names.', 'warning'));
    } else {
      order.forEach((k, i) => {
        if (!props.includes(k as string)) {
          found.push(issue('DEF_FORM_ORDER', `${pointer}/x-order/${i}`, `"x-order" nêu trường "${String(k)}" không có trong "properties".`, `"x-order" names the field "${String(k)}", which is not in "properties".`, 'warning'));
        }
      });
    }
  }
  checkShortcuts(node, pointer, found);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples' || key === 'x-order' || key === 'x-applicant-is' || key === 'x-within-days') continue;
    checkNode(value, `${pointer}/${escape(key)}`, found);
  }
}

/**
 * The intake shortcuts of an object form: `x-within-days` on a field must name a date field
 * of the same form and a number of days; `x-applicant-is` may only set fields the form has.
 */
function checkShortcuts(node: Json, pointer: string, found: ValidationIssue[]): void {
  const props = isObject(node['properties']) ? node['properties'] : {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isObject(prop) || !('x-within-days' in prop)) continue;
    const rule = prop['x-within-days'];
    const from = isObject(rule) ? rule['from'] : undefined;
    const target = typeof from === 'string' ? props[from] : undefined;
    if (!isObject(rule) || typeof rule['days'] !== 'number' || rule['days'] < 0 || !isObject(target) || target['format'] !== 'date') {
      found.push(issue('DEF_FORM_ORDER', `${pointer}/properties/${escape(key)}/x-within-days`,
        '"x-within-days" phải là {"from": tên một trường ngày (format "date") của biểu mẫu, "days": số ngày}.',
        '"x-within-days" must be {"from": the name of a date field (format "date") of the form, "days": a number of days}.', 'warning'));
    }
  }
  const shortcuts = node['x-applicant-is'];
  if (shortcuts === undefined) return;
  if (!Array.isArray(shortcuts)) {
    found.push(issue('DEF_FORM_ORDER', `${pointer}/x-applicant-is`, '"x-applicant-is" phải là danh sách.', '"x-applicant-is" must be a list.', 'warning'));
    return;
  }
  shortcuts.forEach((sc, i) => {
    const set = isObject(sc) ? sc['set'] : undefined;
    if (!isObject(sc) || typeof sc['title'] !== 'string' || !isObject(set)) {
      found.push(issue('DEF_FORM_ORDER', `${pointer}/x-applicant-is/${i}`, 'Mỗi mục của "x-applicant-is" cần "title" và "set".', 'Each item of "x-applicant-is" needs "title" and "set".', 'warning'));
      return;
    }
    for (const field of Object.keys(set)) {
      if (field in props) continue;
      found.push(issue('DEF_FORM_ORDER', `${pointer}/x-applicant-is/${i}/set/${escape(field)}`, `"x-applicant-is" ghi vào trường "${field}" không có trong "properties".`, `"x-applicant-is" sets the field "${field}", which is not in "properties".`, 'warning'));
    }
  });
}

/** Choices without labels and unknown fields in `x-order`, in the data schema and the step forms. Pure. */
export function checkFormLabels(index: DefinitionIndex): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  const forms: { schema: JsonSchema; pointer: string }[] = [];
  if (index.def.data !== undefined) forms.push({ schema: index.def.data, pointer: '/data' });
  for (const { step, pointer } of index.steps) if (step.form !== undefined) forms.push({ schema: step.form, pointer: `${pointer}/form` });
  for (const { schema, pointer } of forms) checkNode(schema, pointer, found);
  return found;
}
