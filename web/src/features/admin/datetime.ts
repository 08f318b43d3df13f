/**
 * Date-time inputs in Vietnam time. `<input type="datetime-local">` has no zone, and the
 * officer means the office clock (UTC+7, no daylight saving), whatever the browser thinks.
 */
import { localDay, localInstant, toLocalIso } from '@motcua/engine/local-time';

/** "YYYY-MM-DDTHH:mm" of an instant on the Vietnam clock, for a datetime-local input. Pure. */
export function toLocalInput(at: Date | string): string {
  return toLocalIso(at).slice(0, 16);
}

/** An ISO instant with the +07:00 offset from a datetime-local value, or null when empty or malformed. Pure. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!m) return null;
  return localInstant(m[1] as string, `${m[2] as string}${m[3] ?? ''}`);
}

/** "YYYY-MM-DD" of an instant on the Vietnam clock. Pure. */
export function toLocalDate(at: Date): string {
  return localDay(at);
}

/** Whether an effective instant falls before today on the Vietnam clock: the server then wants a backdating reason. Pure. */
export function isBackdated(effectiveFrom: string | null, now: Date): boolean {
  if (effectiveFrom === null) return false;
  return new Date(effectiveFrom).getTime() < new Date(localInstant(localDay(now))).getTime();
}
