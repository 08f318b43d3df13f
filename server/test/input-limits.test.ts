import { describe, expect, it } from 'vitest';
import { checkInputText, MAX_INPUT_TEXT } from '../src/dossiers/inputLimits';
import { HttpError } from '../src/http/errors';

const refusal = (inputs: unknown): HttpError | null => {
  try {
    checkInputText(inputs);
    return null;
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
};

describe('the bound on an action\'s free text', () => {
  it('should refuse a string over 2,000 characters with 422 and its JSON pointer, in Vietnamese and English', () => {
    // given a withdraw reason of 20,000 characters
    const e = refusal({ reason: 'x'.repeat(20_000) });
    // then it is refused, naming /inputs/reason
    expect(e?.status).toBe(422);
    expect(e?.code).toBe('INPUT_TOO_LONG');
    expect(e?.issues?.map((i) => i.path)).toEqual(['/inputs/reason']);
    expect(e?.messages.vi).toContain('2.000 ký tự');
    expect(e?.messages.en).toContain('2,000 characters');
  });

  it('should find long strings in arrays and nested objects, escaping the pointer', () => {
    const long = 'ư'.repeat(MAX_INPUT_TEXT + 1);
    const e = refusal({ documents: ['Giấy chứng sinh', long], 'a/b~c': { note: long } });
    expect(e?.issues?.map((i) => i.path)).toEqual(['/inputs/documents/1', '/inputs/a~1b~0c/note']);
  });

  it('should take 2,000 characters, counting a character outside the BMP once', () => {
    expect(refusal({ reason: 'ư'.repeat(MAX_INPUT_TEXT) })).toBeNull();
    expect(refusal({ reason: '😀'.repeat(MAX_INPUT_TEXT) })).toBeNull();
    expect(refusal({ reason: '😀'.repeat(MAX_INPUT_TEXT + 1) })).not.toBeNull();
    expect(refusal({ count: 3, ok: true, none: null })).toBeNull();
  });
});
