/**
 * Less typing at the desk, driven by the procedure's form (docs/forms.md): fields computed
 * from others (`x-within-days`: "registered within 60 days of the birth") and "the applicant
 * is …" shortcuts that copy the applicant into the declaration (`x-applicant-is`). Pure.
 */
import { normalizeVnPhone } from '@motcua/engine/phone';

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const DAY = 86_400_000;

/** The intake wizard's steps, in order (their names: `desk:intake.steps`). */
export const INTAKE_STEPS = ['procedure', 'documents', 'data', 'review'] as const;

/** Days from a `YYYY-MM-DD` date to `today` (also `YYYY-MM-DD`), or null when either is not a date. */
function daysBetween(from: unknown, today: string): number | null {
  if (typeof from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(from)) return null;
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${today}T00:00:00Z`);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.round((b - a) / DAY);
}

/**
 * The data with its computed fields filled: a boolean field with `x-within-days: { from, days }`
 * is true when `from` (a date field) is at most `days` calendar days before `today`.
 * Returns the same object when nothing changes.
 */
export function applyComputed(schema: unknown, data: Json, today: string): Json {
  if (!isObject(schema) || !isObject(schema['properties'])) return data;
  let out = data;
  for (const [key, node] of Object.entries(schema['properties'])) {
    if (!isObject(node) || !isObject(node['x-within-days'])) continue;
    const { from, days } = node['x-within-days'];
    if (typeof from !== 'string' || typeof days !== 'number') continue;
    const since = daysBetween(data[from], today);
    if (since === null) continue;
    const value = since >= 0 && since <= days;
    if (out[key] !== value) out = { ...out, [key]: value };
  }
  return out;
}

export interface ApplicantIs { title: string; titleEn: string; set: Json }

/** The "the applicant is …" shortcuts of a form (`x-applicant-is`). */
export function applicantShortcuts(schema: unknown): ApplicantIs[] {
  if (!isObject(schema) || !Array.isArray(schema['x-applicant-is'])) return [];
  return schema['x-applicant-is'].filter(isObject).filter((s) => typeof s['title'] === 'string' && isObject(s['set'])).map((s) => ({
    title: s['title'] as string,
    titleEn: typeof s['x-title-en'] === 'string' ? s['x-title-en'] : (s['title'] as string),
    set: s['set'] as Json,
  }));
}

/** The declaration with a shortcut applied: `"$applicant.name"` copies the applicant's name, other values are set as they are. */
export function applyShortcut(shortcut: ApplicantIs, applicant: Json, data: Json): Json {
  const out = { ...data };
  for (const [field, value] of Object.entries(shortcut.set)) {
    if (typeof value === 'string' && value.startsWith('$applicant.')) {
      const v = applicant[value.slice('$applicant.'.length)];
      if (v !== undefined && v !== '') out[field] = v;
    } else out[field] = value;
  }
  return out;
}

/**
 * The intake form with the applicant's phone checked (the server's rule, engine/contact/phone):
 * `ok: false` when a phone was typed that is not a Vietnamese number; otherwise the form with
 * the phone in national form ("+84 912 345 678" → "0912345678"), as the receipt will print it.
 */
export function checkApplicantPhone(form: Json): { ok: true; form: Json } | { ok: false } {
  const applicant = isObject(form['applicant']) ? form['applicant'] : {};
  const typed = typeof applicant['phone'] === 'string' ? applicant['phone'].trim() : '';
  if (typed === '') return { ok: true, form };
  const phone = normalizeVnPhone(typed);
  if (phone === null) return { ok: false };
  return { ok: true, form: phone === applicant['phone'] ? form : { ...form, applicant: { ...applicant, phone } } };
}
