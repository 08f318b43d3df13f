/**
 * A bound on the free text of an action's inputs that holds whatever a procedure's schema
 * says: a schema written without `maxLength` (the applicant's withdraw reason was one) must
 * not let megabytes of text into the history, the timeline and the slips printed from it.
 */
import { HttpError, MAX_ISSUES, type Issue } from '../http/errors';

/** Characters (code points) of one string in an action's inputs at most. */
export const MAX_INPUT_TEXT = 2000;

// Paths are built as strings (each a constant-time concatenation), not arrays copied per value.
const pointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Whether `s` has more than `max` code points; reads no further than needed. */
function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (++n > max) return true;
  }
  return false;
}

/**
 * Throws 422 INPUT_TOO_LONG naming, by JSON pointer from the request body (`/inputs/reason`,
 * `/inputs/documents/2`), each string of `inputs` (objects and arrays walked, without
 * recursion) longer than `MAX_INPUT_TEXT` characters; pure.
 */
export function checkInputText(inputs: unknown): void {
  const issues: Issue[] = [];
  const stack: [unknown, string][] = [[inputs, '/inputs']];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (longerThan(value, MAX_INPUT_TEXT)) {
        issues.push({ path, message: { vi: `Tối đa ${MAX_INPUT_TEXT.toLocaleString('vi-VN')} ký tự`, en: `At most ${MAX_INPUT_TEXT.toLocaleString('en')} characters` } });
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}/${i}`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value).reverse()) stack.push([v, `${path}/${pointerToken(k)}`]);
    }
  }
  if (issues.length === 0) return;
  throw new HttpError(422, 'INPUT_TOO_LONG', {
    vi: `Nội dung nhập quá dài: mỗi ô tối đa ${MAX_INPUT_TEXT.toLocaleString('vi-VN')} ký tự`,
    en: `An input is too long: at most ${MAX_INPUT_TEXT.toLocaleString('en')} characters each`,
  }, issues, { maxLength: MAX_INPUT_TEXT });
}
