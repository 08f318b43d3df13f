/**
 * The dossier's data as an officer reads it: the form's titles, in the form's order
 * (`x-order`, docs/forms.md), dates as dd/mm/yyyy, choices by their label, yes/no for
 * ticks. Pure (the language and the words for yes/no come in).
 */
import { splitTitle, type Lang } from './schemaForm';

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface DataRow { key: string; label: string; text: string }
export interface Words { yes: string; no: string }

/** The title of a schema node in `lang`: `x-title-en` in English when given, else the "Tiếng Việt (English)" half. */
export function titleOf(node: unknown, lang: Lang): string | undefined {
  if (!isObject(node)) return undefined;
  if (lang === 'en' && typeof node['x-title-en'] === 'string') return node['x-title-en'];
  return typeof node['title'] === 'string' ? splitTitle(node['title'], lang) : undefined;
}

/** The fields of an object schema in the order to show them: `x-order`, then required, then the rest. */
export function fieldOrder(schema: unknown): string[] {
  if (!isObject(schema) || !isObject(schema['properties'])) return [];
  const keys = Object.keys(schema['properties']);
  const listed = (v: unknown): string[] => (Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string' && keys.includes(k)) : []);
  const order = listed(schema['x-order']);
  const required = listed(schema['required']).filter((k) => !order.includes(k));
  return [...order, ...required, ...keys.filter((k) => !order.includes(k) && !required.includes(k))];
}

/** dd/mm/yyyy of a `YYYY-MM-DD` date, as written on Vietnamese forms; anything else unchanged. */
export function formatIsoDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** One value as words, read through its schema node (choices, dates, ticks, nested objects). */
export function showValue(node: unknown, value: unknown, lang: Lang, words: Words): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = isObject(node) ? node : {};
  const options = Array.isArray(n['oneOf']) ? n['oneOf'] : Array.isArray(n['anyOf']) ? n['anyOf'] : [];
  const option = options.find((o) => isObject(o) && o['const'] === value);
  if (option) return titleOf(option, lang) ?? String(value);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.map((v) => showValue(n['items'], v, lang, words)).join(', ');
  if (isObject(value)) {
    return Object.entries(value).map(([k, v]) => {
      const child = isObject(n['properties']) ? n['properties'][k] : undefined;
      return `${titleOf(child, lang) ?? k}: ${showValue(child, v, lang, words)}`;
    }).join('\n');
  }
  if (typeof value === 'string') return n['format'] === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatIsoDate(value) : value;
  return String(value);
}

/** The rows of the data tab: the form's fields first, in its order, then anything else the dossier holds. */
export function dataRows(schema: unknown, data: Json, lang: Lang, words: Words): DataRow[] {
  const props = isObject(schema) && isObject(schema['properties']) ? schema['properties'] : {};
  const known = fieldOrder(schema).filter((k) => k in data);
  const extra = Object.keys(data).filter((k) => !(k in props));
  return [...known, ...extra].map((key) => ({ key, label: titleOf(props[key], lang) ?? key, text: showValue(props[key], data[key], lang, words) }));
}
