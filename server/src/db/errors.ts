/** PostgreSQL's error codes as both drivers report them (pg and PGlite, possibly wrapped by Drizzle). */

/** The PostgreSQL error behind `err`, if any: drivers and Drizzle wrap it in `cause`. */
function pgError(err: unknown): { code?: unknown; constraint?: unknown } | null {
  for (let e: unknown = err, i = 0; e && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    if (typeof (e as { code?: unknown }).code === 'string') return e as { code?: unknown; constraint?: unknown };
  }
  return null;
}

/** unique_violation (23505), on the given constraint when one is named. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** foreign_key_violation (23503): a row appeared or vanished meanwhile. */
export function isForeignKeyViolation(err: unknown): boolean {
  return pgError(err)?.code === '23503';
}
