/** Field-level errors: the server's issues by JSON pointer, for the field they point at. Pure. */
import { ApiError } from '../../api/client';
import { pick } from '../../i18n';

/** Messages by JSON pointer ("/grants/0/unit"); an issue without a path is left to the ErrorBox. */
export function issuesByPath(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return out;
  for (const issue of error.issues) {
    if (!issue.path) continue;
    const text = pick(issue.message) || issue.code || '';
    out.set(issue.path, out.has(issue.path) ? `${out.get(issue.path)}; ${text}` : text);
  }
  return out;
}

/** The message for a field: its own pointer, or the first issue inside it ("/grants" covers "/grants/0/unit"). */
export function issueAt(issues: Map<string, string>, pointer: string): string | undefined {
  const own = issues.get(pointer);
  if (own !== undefined) return own;
  for (const [path, message] of issues) if (path.startsWith(`${pointer}/`)) return message;
  return undefined;
}
