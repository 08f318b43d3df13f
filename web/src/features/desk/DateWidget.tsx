/**
 * Dates typed as a Vietnamese office writes them, whatever the browser's language: dd/mm/yyyy,
 * slashes added while typing ("15112026" reads 15/11/2026). The form holds the ISO date
 * (YYYY-MM-DD) once the text is a real date; text that is not (yet) one stays in the form as
 * typed, so the schema's `format: date` flags it instead of the date being silently dropped.
 */
import { useEffect, useState } from 'react';
import type { WidgetProps } from '@rjsf/utils';
import { formatIsoDate } from './dataRows';

/** "15112026" or "15/11/2026" → "15/11/2026" as far as typed. Pure. */
export function maskDmy(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 8);
  return [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].filter((p) => p !== '').join('/');
}

/** The ISO date of a complete, real dd/mm/yyyy, or undefined. Pure. */
export function dmyToIso(text: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** What the form holds for the typed text: nothing when empty, the ISO date when real, else the text itself. Pure. */
export function dateValue(text: string): string | undefined {
  return text === '' ? undefined : dmyToIso(text) ?? text;
}

export function DateWidget({ id, value, required, disabled, readonly, autofocus, onChange, onBlur, onFocus, options }: WidgetProps) {
  const shown = typeof value === 'string' ? formatIsoDate(value) : '';
  const [text, setText] = useState(shown);
  // A value set from outside (a copy, a reset) replaces what is typed.
  useEffect(() => { if (dateValue(text) !== value) setText(shown); }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <input
      id={id} name={id} type="text" inputMode="numeric" autoComplete="off" placeholder={String(options['placeholder'] ?? 'dd/mm/yyyy')}
      className="form-control date-dmy" value={text} required={required} disabled={disabled || readonly} autoFocus={autofocus}
      onChange={(e) => { const next = maskDmy(e.target.value); setText(next); onChange(dateValue(next)); }}
      onBlur={() => onBlur(id, value)} onFocus={() => onFocus(id, value)}
    />
  );
}
