/** A database timestamp (either driver's text form, or an ISO string) as an ISO 8601 UTC instant. */
export function iso(s: string): string;
export function iso(s: string | null | undefined): string | null;
export function iso(s: string | null | undefined): string | null {
  return s ? new Date(s).toISOString() : null;
}
