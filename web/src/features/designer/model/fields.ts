/**
 * The simple field table of the designer ↔ a JSON Schema of type object (a step's `form`,
 * an action's `inputs`). Pure. What the table cannot express is reported, so the panel
 * can offer the raw JSON instead of silently dropping it.
 */
import type { JsonSchema } from '@motcua/engine';

export type FieldType = 'string' | 'number' | 'boolean' | 'date' | 'enum';
export const FIELD_TYPES: FieldType[] = ['string', 'number', 'boolean', 'date', 'enum'];

export interface FieldRow {
  key: string;
  title: string;
  type: FieldType;
  required: boolean;
  /** `enum` only: the allowed values, each with the words officers read (written as `oneOf`). */
  options: ChoiceOption[];
}

/** One choice: the stored code and its Vietnamese and English labels. */
export interface ChoiceOption { value: string; vi: string; en: string }

/** The options as the designer types them: one a line, "code | Nhãn tiếng Việt | English label". */
export function optionsText(options: readonly ChoiceOption[]): string {
  return options.map((o) => [o.value, o.vi, o.en].join(' | ').replace(/( \| )+$/, '')).join('\n');
}

export function parseOptions(text: string): ChoiceOption[] {
  return text.split('\n').map((line) => line.split('|').map((p) => p.trim())).filter((p) => p[0])
    .map(([value = '', vi = '', en = '']) => ({ value, vi, en }));
}

/** Reads `oneOf` of `{ const, title, x-title-en }` items; null when the list holds anything else. */
function readOneOf(list: unknown[]): ChoiceOption[] | null {
  const out: ChoiceOption[] = [];
  for (const item of list) {
    if (!isObj(item) || typeof item.const !== 'string') return null;
    if (Object.keys(item).some((k) => !['const', 'title', 'x-title-en'].includes(k))) return null;
    out.push({ value: item.const, vi: typeof item.title === 'string' ? item.title : '', en: typeof item['x-title-en'] === 'string' ? item['x-title-en'] : '' });
  }
  return out;
}

type Obj = { [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the rows of a schema; `exact` is false when the schema holds more than the table shows. */
export function schemaToFields(schema: JsonSchema | undefined): { rows: FieldRow[]; exact: boolean } {
  if (schema === undefined) return { rows: [], exact: true };
  if (!isObj(schema)) return { rows: [], exact: false };
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  let exact = Object.keys(schema).every((k) => ['type', 'properties', 'required', 'additionalProperties'].includes(k));
  const rows: FieldRow[] = Object.entries(props).map(([key, raw]) => {
    const p = isObj(raw) ? raw : {};
    const title = typeof p.title === 'string' ? p.title : '';
    let type: FieldType = 'string';
    let options: ChoiceOption[] = [];
    const known = ['type', 'title'];
    const labelled = Array.isArray(p.oneOf) ? readOneOf(p.oneOf) : null;
    if (labelled) {
      type = 'enum';
      options = labelled;
      known.push('oneOf');
    } else if (Array.isArray(p.enum)) {
      // A bare enum (the engine warns about it): its codes, labels still to write.
      type = 'enum';
      options = p.enum.map((v) => ({ value: String(v), vi: '', en: '' }));
      known.push('enum');
    } else if (p.type === 'string' && p.format === 'date') {
      type = 'date';
      known.push('format');
    } else if (p.type === 'number' || p.type === 'integer') type = 'number';
    else if (p.type === 'boolean') type = 'boolean';
    else if (p.type === 'string') {
      type = 'string';
      // `minLength: 1` comes with a required text field; the table writes it back.
      if (p.minLength === 1) known.push('minLength');
    } else exact = false;
    if (Object.keys(p).some((k) => !known.includes(k))) exact = false;
    if (p.type === 'integer') exact = false;
    return { key, title, type, required: required.includes(key), options };
  });
  return { rows, exact };
}

/** Writes rows back as an object schema; no rows gives `undefined` (no form at all). */
export function fieldsToSchema(rows: FieldRow[]): JsonSchema | undefined {
  const usable = rows.filter((r) => r.key.trim() !== '');
  if (usable.length === 0) return undefined;
  const properties: Obj = {};
  for (const r of usable) {
    const p: Obj = {};
    switch (r.type) {
      case 'string': p.type = 'string'; if (r.required) p.minLength = 1; break;
      case 'number': p.type = 'number'; break;
      case 'boolean': p.type = 'boolean'; break;
      case 'date': p.type = 'string'; p.format = 'date'; break;
      case 'enum':
        p.type = 'string';
        // Labelled choices (oneOf), as the engine asks: officers read words, not codes; a missing label shows the code.
        p.oneOf = r.options.filter((o) => o.value !== '').map((o) => ({ const: o.value, title: o.vi || o.value, ...(o.en ? { 'x-title-en': o.en } : {}) }));
        break;
    }
    if (r.title) p.title = r.title;
    properties[r.key.trim()] = p;
  }
  const required = usable.filter((r) => r.required).map((r) => r.key.trim());
  return { type: 'object', ...(required.length > 0 ? { required } : {}), properties };
}
