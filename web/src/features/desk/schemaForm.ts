/**
 * Pure helpers around the JSON Schema forms (intake data, action inputs): titles in the
 * chosen language, Vietnamese validation messages, server issues placed on their fields.
 */
import type { ErrorSchema, RJSFSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import type { ApiIssue } from '../../api/client';
import { fieldOrder } from './dataRows';

export type Lang = 'vi' | 'en';

// A Vietnamese letter carries a mark English lacks (ă, ơ, ư, đ, tones): a title whose head has
// one and whose tail "(…)" has none is written "Tiếng Việt (English)", as every shipped definition does.
// Typographic quotes and dashes (’ – —) are not letters: "Child’s name" is still English.
const VIETNAMESE = /[\u00c0-\u024f\u1e00-\u1eff]/;

/**
 * The part of a "Vietnamese (English)" title for `lang`; any other title is returned as it is.
 * Pure.
 */
export function splitTitle(title: string, lang: Lang): string {
  const m = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(title);
  if (!m) return title;
  const head = m[1] ?? '';
  const tail = m[2] ?? '';
  if (!VIETNAMESE.test(head) || VIETNAMESE.test(tail) || tail.trim() === '') return title;
  return lang === 'en' ? tail.trim() : head.trim();
}

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `schema` with every `title` and `description` in `lang` (see `splitTitle`); the input is not changed. */
export function localizeSchema(schema: unknown, lang: Lang): RJSFSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      // `x-title-en` is the English label of a choice (docs/forms.md); it wins in English.
      if (k === 'title' && lang === 'en' && typeof node['x-title-en'] === 'string') out[k] = node['x-title-en'];
      else if ((k === 'title' || k === 'description') && typeof v === 'string') out[k] = splitTitle(v, lang);
      // enum and const values are data: never rewritten.
      else if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') out[k] = v;
      else out[k] = walk(v);
    }
    return out;
  };
  const result = walk(schema);
  return (isObject(result) ? result : { type: 'object' }) as RJSFSchema;
}

/** Decodes an RFC 6901 pointer into its segments ("" → []). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^#/, '').replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Puts server issues on the fields they point at, as an rjsf `extraErrors` tree. `prefix`
 * is the pointer of the form's object in the request body (e.g. "/data" for intake data);
 * issues outside it are left out (the caller shows them in the error box). Pure.
 */
export function issuesToErrorSchema(issues: readonly ApiIssue[], message: (i: ApiIssue) => string, prefix = ''): ErrorSchema {
  const root: ErrorSchema = {};
  const head = pointerSegments(prefix);
  for (const issue of issues) {
    if (issue.path === undefined) continue;
    const segs = pointerSegments(issue.path);
    if (head.some((s, n) => segs[n] !== s)) continue;
    let node = root as Json;
    for (const seg of segs.slice(head.length)) {
      const next = isObject(node[seg]) ? (node[seg] as Json) : {};
      node[seg] = next;
      node = next;
    }
    const list = Array.isArray(node['__errors']) ? (node['__errors'] as string[]) : [];
    list.push(message(issue));
    node['__errors'] = list;
  }
  return root;
}

/** The node a `#/$defs/x` (or `#/definitions/x`) ref names in `root`, else the node itself. */
function resolved(node: Json, root: Json): Json {
  const ref = node['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let at: unknown = root;
  for (const seg of pointerSegments(ref.slice(1))) at = isObject(at) ? at[seg] : undefined;
  return isObject(at) ? { ...at, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) } : node;
}

/**
 * The title, in `lang`, of the field of form `schema` that `pointer` names, the form's object
 * sitting at `prefix` in the request body ("/inputs", "/items/2/inputs"): "Quyển số" for
 * "/inputs/book"; an item of an untitled list is "<list title> (n)", as the form labels it.
 * Undefined when the pointer is outside the form or its field has no title. Pure.
 */
export function fieldLabel(schema: unknown, pointer: string | undefined, prefix: string, lang: Lang): string | undefined {
  if (pointer === undefined || !isObject(schema)) return undefined;
  const head = pointerSegments(prefix);
  const segs = pointerSegments(pointer);
  if (segs.length <= head.length || head.some((s, n) => segs[n] !== s)) return undefined;
  const root = localizeSchema(schema, lang) as Json;
  let node: Json = resolved(root, root);
  let title: string | undefined;
  for (const seg of segs.slice(head.length)) {
    const props = node['properties'];
    const items = node['items'];
    if (isObject(props) && isObject(props[seg])) {
      node = resolved(props[seg] as Json, root);
      title = typeof node['title'] === 'string' ? node['title'] : undefined;
    } else if (isObject(items) && /^\d+$/.test(seg)) {
      const listTitle = title;
      node = resolved(items, root);
      title = typeof node['title'] === 'string' ? node['title'] : listTitle !== undefined ? `${listTitle} (${Number(seg) + 1})` : undefined;
    } else {
      return undefined;
    }
  }
  return title;
}

/** {@link fieldLabel} for a bulk body, where each item's inputs sit at `/items/<n>/inputs`. Pure. */
export function itemFieldLabel(schema: unknown, pointer: string | undefined, lang: Lang): string | undefined {
  const item = /^\/items\/\d+\/inputs(?=\/|$)/.exec(pointer ?? '');
  return item ? fieldLabel(schema, pointer, item[0], lang) : undefined;
}

/** Message templates for validation errors, by AJV keyword; `{{limit}}` etc. are filled from the error params. */
export type ErrorTemplates = { [keyword: string]: string };

/**
 * Rewrites rjsf/AJV errors with the given templates (Vietnamese by default), keeping
 * their place; a keyword without a template keeps AJV's own message; a format error uses
 * `format_<format>` when there is one. Pure.
 */
export function translateErrors(errors: RJSFValidationError[], templates: ErrorTemplates): RJSFValidationError[] {
  return errors.map((e) => {
    const params = (e.params ?? {}) as { [k: string]: unknown };
    // A format may have words of its own (`format_date`), clearer than the format's name.
    const template = (e.name === 'format' ? templates[`format_${String(params['format'])}`] : undefined) ?? (e.name ? templates[e.name] : undefined);
    if (!template) return e;
    const message = template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => {
      const v = params[k];
      return Array.isArray(v) ? v.join(', ') : String(v ?? '');
    });
    return { ...e, message, stack: `${e.property ?? ''} ${message}`.trim() };
  });
}

/** Drops empty strings and empty objects the form leaves behind, so optional fields stay absent. Pure. */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneEmpty).filter((v) => v !== undefined);
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const p = pruneEmpty(v);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  if (value === '' || value === null) return undefined;
  return value;
}

export interface IntakeLabels {
  applicant: string;
  name: string;
  id: string;
  phone: string;
  email: string;
  address: string;
  data: string;
}

/**
 * One form for the intake: the applicant (the body's `applicant`) and the procedure's
 * own data schema under `data`, so server issues at `/applicant/…` and `/data/…` land on
 * their fields. `$defs` of the data schema move to the root, where its `#/$defs/…` refs point. Pure.
 */
export function intakeFormSchema(data: unknown, labels: IntakeLabels): RJSFSchema {
  const applicant = {
    type: 'object',
    title: labels.applicant,
    required: ['name'],
    properties: {
      name: { type: 'string', title: labels.name, minLength: 1, maxLength: 200 },
      id: { type: 'string', title: labels.id, maxLength: 50 },
      phone: { type: 'string', title: labels.phone, maxLength: 30 },
      email: { type: 'string', title: labels.email, format: 'email', maxLength: 200 },
      address: { type: 'string', title: labels.address, maxLength: 500 },
    },
  };
  const root: Json = { type: 'object', required: ['applicant'], properties: { applicant } as Json };
  if (isObject(data)) {
    const { $defs, definitions, $schema: _s, $id: _i, ...rest } = data;
    if ($defs !== undefined) root['$defs'] = $defs;
    if (definitions !== undefined) root['definitions'] = definitions;
    (root['properties'] as Json)['data'] = { ...rest, title: typeof rest['title'] === 'string' ? rest['title'] : labels.data };
    root['required'] = ['applicant', 'data'];
  }
  return root as RJSFSchema;
}

/** Long free text reads better in a text area: reasons, notes, purposes. */
const LONG_TEXT = /reason|note|comment|content|purpose|description|opinion/i;

/**
 * The rjsf uiSchema for a schema: fields in the official form's order (`x-order`), else
 * required fields first in the order `required` lists them, then the others (definitions
 * come back from PostgreSQL jsonb with their keys re-sorted, so `properties` order is not
 * the author's), and text areas for long text. Pure.
 */
export function formUiSchema(schema: unknown): UiSchema {
  const walk = (node: unknown): UiSchema => {
    const ui: UiSchema = {};
    if (!isObject(node) || !isObject(node['properties'])) return ui;
    const props = node['properties'];
    ui['ui:order'] = fieldOrder(node);
    for (const [key, p] of Object.entries(props)) {
      if (!isObject(p)) continue;
      if (p['type'] === 'object') {
        const inner = walk(p);
        if (Object.keys(inner).length > 0) ui[key] = inner;
      } else if (p['type'] === 'array' && isObject(p['items']) && p['items']['title'] === undefined && typeof p['title'] === 'string') {
        // rjsf labels an untitled item "<list title>-1"; an officer reads "<list title> (1)".
        const title = p['title'];
        ui[key] = { items: (_item: unknown, index: number) => ({ 'ui:title': `${title} (${index + 1})` }) };
      } else if (p['type'] === 'string' && p['enum'] === undefined && p['format'] === undefined && LONG_TEXT.test(key)) {
        ui[key] = { 'ui:widget': 'textarea' };
      }
    }
    return ui;
  };
  return walk(schema);
}
