/**
 * Patterns in a procedure's schemas run in V8's backtracking engine on every dossier checked
 * (the server's main thread) and every form filled (the browser): the checker refuses those
 * that can backtrack for exponential time.
 */
import { describe, expect, it } from 'vitest';
import { regexRisk } from '../src/definition/regexSafety';
import { validateDefinition } from '../src/definition/validate';
import { richDefinition } from './fixtures/definitions';
import { edit } from './fixtures/edit';

describe('regexRisk', () => {
  it.each([
    ['^(a+)+$', 'nested'],
    ['(\\w+\\s?)*$', 'nested'],
    ['(a*)*', 'nested'],
    ['(.*a){12}', 'nested'],
    ['(a?){30}a{30}', 'nested'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', 'nested'],
    ['( (a+)+)*', 'nested'],
    ['(a|a)*$', 'overlap'],
    ['^(a|ab)*$', 'overlap'],
    ['(\\d|\\d\\d)+$', 'overlap'],
    ['(\\p{L}|a)+', 'overlap'],
    ['(?<=a)b', 'unchecked'],
  ])('should refuse %s (%s)', (source, risk) => {
    // given a pattern that can backtrack for exponential time / when checked / then the risk is named
    expect(regexRisk(source)).toBe(risk);
  });

  it.each([
    '^[0-9]{12}$',
    '^TE[1-5][0-9]{12}$',
    '^(\\+84|0)[0-9]{9}$',
    '^\\d+(\\.\\d+)?$',
    '^\\d+(\\.\\d+)*$',
    '^[a-z0-9]+(-[a-z0-9]+)*$',
    '^\\p{Lu}\\p{Ll}*( \\p{Lu}\\p{Ll}*)*$',
    '^[\\p{L} ]+$',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '^(?=.*\\d).{8,}$',
    '(?<year>\\d{4})-(?<month>\\d{2})',
    '^([a-z]|[0-9])*$',
  ])('should accept %s', (source) => {
    // given a pattern whose repetitions cannot split a string more than one way / when checked / then no risk
    expect(regexRisk(source)).toBeNull();
  });
});

describe('validateDefinition: patterns', () => {
  it('should accept the fixture\'s own patterns and refuse an unsafe one in an action\'s inputs', () => {
    // given the rich definition (its idNumber is ^[0-9]{12}$) / when validated / then it is ok
    expect(validateDefinition(richDefinition()).ok).toBe(true);
    // given an inputs field with a nested repetition
    const def = edit(richDefinition(), ['/steps/3/actions/1/inputs/properties/reason/pattern', '^(\\w+\\s?)*$']);
    // when validated
    const result = validateDefinition(def);
    // then the issue is at the pattern, in both languages
    expect(result.ok).toBe(false);
    const found = result.issues.find((i) => i.path === '/steps/3/actions/1/inputs/properties/reason/pattern');
    expect(found?.code).toBe('DEF_INVALID_INPUTS_SCHEMA');
    expect(found?.message.vi).toContain('Biểu thức chính quy có thể chạy rất lâu (lặp lồng nhau)');
    expect(found?.message.en).toContain('The regular expression can take exponential time (nested repetition)');
  });

  it('should not take a property named "pattern" for the keyword', () => {
    // given a data field called "pattern" (a schema, not a string)
    const def = edit(richDefinition(), ['/data/properties/pattern', { type: 'string', maxLength: 20 }]);
    // when validated / then nothing is said about patterns
    expect(validateDefinition(def).issues.filter((i) => i.path.endsWith('/pattern'))).toEqual([]);
  });
});
