/**
 * What of an error may go into a log. Logs are kept longer and read by more people than
 * the records, so they must carry no personal data: the ORM's "Failed query … params: …"
 * message lists the values bound to the statement (ID numbers, names, form data), and
 * PostgreSQL quotes the offending value in its own messages and `detail`. What remains is
 * enough to find the bug: the error's type and code, the SQL text (values are always bound
 * parameters), the message with quoted values masked, and the stack frames.
 */

export interface SafeError {
  type: string;
  message: string;
  code?: string;
  query?: string;
  stack?: string;
  cause?: SafeError;
}

/** A five-character SQLSTATE (e.g. 22021) marks an error raised by PostgreSQL. */
const isSqlState = (code: unknown): boolean => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);

/** Quoted values and `(key)=(value)` pairs masked. */
function mask(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").replace(/\)=\([^)]*\)/g, ')=(…)');
}

/** Only the frames of a stack: its first lines repeat the message. */
const frames = (stack: unknown): string | undefined =>
  typeof stack === 'string' ? stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') || undefined : undefined;

export function safeError(err: unknown, depth = 0): SafeError {
  if (err === null || typeof err !== 'object') return { type: typeof err, message: '(not an Error)' };
  const e = err as { name?: unknown; constructor?: { name?: string }; message?: unknown; code?: unknown; query?: unknown; stack?: unknown; cause?: unknown };
  const type = typeof e.name === 'string' ? e.name : e.constructor?.name ?? 'Error';
  const raw = typeof e.message === 'string' ? e.message : '';
  const query = typeof e.query === 'string' ? e.query : undefined;
  // The ORM appends the bound values after "params:"; nothing after it is kept.
  let message = raw.split(/\nparams:/)[0] ?? '';
  if (query !== undefined) message = 'Failed query';
  else if (isSqlState(e.code)) message = mask(message);
  const out: SafeError = { type, message };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = String(e.code);
  if (query !== undefined) out.query = query;
  const stack = frames(e.stack);
  if (stack) out.stack = stack;
  if (e.cause !== undefined && depth < 5) out.cause = safeError(e.cause, depth + 1);
  return out;
}
