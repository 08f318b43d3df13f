import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFINITION_ISSUE_CODES } from '../src/definition/issues';
import type { ValidationResult } from '../src/definition/types';
import { validateDefinition } from '../src/definition/validate';
import { minimalDefinition, richDefinition } from './fixtures/definitions';
import { at, edit } from './fixtures/edit';
import { budget, BUDGETED_TIMEOUT_MS } from './fixtures/budget';

const codes = new Set<string>(DEFINITION_ISSUE_CODES);

/** Everything a result must be, whatever the input. */
function expectWellFormed(result: ValidationResult, input: unknown): void {
  expect(typeof result.ok).toBe('boolean');
  expect(result.ok).toBe(result.issues.every((i) => i.severity === 'warning'));
  for (const i of result.issues) {
    expect(codes.has(i.code)).toBe(true);
    expect(i.path === '' || i.path.startsWith('/')).toBe(true);
    expect(i.message.vi.trim()).not.toBe('');
    expect(i.message.en.trim()).not.toBe('');
    // The culprit, or the object missing it, exists in the input.
    if (i.code !== 'DEF_UNCHECKABLE' && i.code !== 'DEF_TOO_MANY_ISSUES' && i.path !== '') {
      expect(at(input, i.path.slice(0, i.path.lastIndexOf('/')))).toBeDefined();
    }
  }
}

/** Every JSON pointer inside a value. */
function pointers(value: unknown, base = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return [p, ...pointers(v, p)];
  });
}

const garbage = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

describe('validateDefinition properties', { timeout: BUDGETED_TIMEOUT_MS }, () => {
  it('should never throw, whatever it is given', () => {
    fc.assert(
      fc.property(garbage, (input) => {
        // given any value at all
        // when it is validated
        const result = validateDefinition(input);
        // then a well-formed refusal comes back
        expect(result.ok).toBe(false);
        expectWellFormed(result, input);
      }),
    );
  });

  it('should never throw when any part of a valid definition is replaced by garbage', () => {
    const targets = pointers(richDefinition());
    fc.assert(
      fc.property(fc.constantFrom(...targets), garbage, (pointer, value) => {
        // given the rich definition with one place replaced by anything
        const input = edit(richDefinition(), [pointer, value]);
        // when it is validated
        const result = validateDefinition(input);
        // then the result is well formed and every issue points into the input
        expectWellFormed(result, input);
      }),
      { numRuns: 300, ...budget() },
    );
  });

  it('should never throw when parts of a valid definition are deleted or swapped for parts of the same name', () => {
    const source = richDefinition();
    const targets = pointers(source);
    const lastKey = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
    // A part of the same name (another target, id, role…) mostly keeps the shape valid, so
    // the semantic checks get exercised rather than the schema alone.
    const move = fc.constantFrom(...targets).chain((to) => fc.tuple(
      fc.constant(to),
      fc.option(fc.constantFrom(...targets.filter((p) => lastKey(p) === lastKey(to)))),
    ));
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 4 }), (moves) => {
        // given the rich definition with parts removed or replaced by parts of the same name
        const input = richDefinition();
        for (const [to, from] of moves) {
          if (at(input, to) === undefined) continue;
          edit(input, [to, from === null ? undefined : structuredClone(at(source, from))]);
        }
        // when it is validated
        const result = validateDefinition(input);
        // then the result is well formed
        expectWellFormed(result, input);
      }),
      { numRuns: 500, ...budget() },
    );
  });

  it('should accept the minimal definition under any version number and procedure id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1 }), fc.stringMatching(/^[a-z][a-zA-Z0-9_-]{0,30}$/), (version, id) => {
        // given a minimal definition with another version and id
        fc.pre(id !== 'intake' && id !== 'done');
        const input = edit(minimalDefinition(), ['/version', version], ['/id', id]);
        // when it is validated
        // then it is ok
        expect(validateDefinition(input)).toEqual({ ok: true, issues: [] });
      }),
    );
  });
});
