import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/errors';
import { itemIssues, pointedIntoBody } from '../src/dossiers/actionInputs';

const text = { vi: 'x', en: 'x' };
const refusal = (code: string, ...paths: string[]) => new HttpError(422, code, text, paths.map((path) => ({ path, message: text })));
const paths = (e: unknown) => (e as HttpError).issues?.map((i) => i.path);

describe('the engine\'s refusals pointed into the request body', () => {
  it('should root the pointers of bad inputs, extra time beyond the law and a hand-off unit named by an input at the inputs', () => {
    for (const code of ['ACTION_INPUT_INVALID', 'ACTION_LIMIT_REACHED', 'HANDOFF_UNIT_INVALID']) {
      expect(paths(pointedIntoBody(refusal(code, '/days'), '/inputs', { days: 9 })), code).toEqual(['/inputs/days']);
    }
  });

  it('should keep a hand-off\'s pointer into the dossier\'s data, or its lack of one, as it is', () => {
    // the unit came from data the action did not give: it is not in this body
    expect(paths(pointedIntoBody(refusal('HANDOFF_UNIT_INVALID', '/data/previousCommune', ''), '/inputs', {}))).toEqual(['/data/previousCommune', '']);
    // unless the action gave an input named `data`
    expect(paths(pointedIntoBody(refusal('HANDOFF_UNIT_INVALID', '/data/x'), '/inputs', { data: { x: 1 } }))).toEqual(['/inputs/data/x']);
  });

  it('should leave other errors as they are', () => {
    const e = refusal('INPUT_TOO_LONG', '/inputs/reason');
    expect(pointedIntoBody(e, '/inputs')).toBe(e);
  });

  it('should root a bulk item\'s issues at the item', () => {
    expect(itemIssues(refusal('ACTION_LIMIT_REACHED', '/days'), 3, { days: 2 })?.map((i) => i.path)).toEqual(['/items/3/inputs/days']);
    expect(itemIssues(refusal('INPUT_TOO_LONG', '/inputs/reason'), 1, {})?.map((i) => i.path)).toEqual(['/items/1/inputs/reason']);
    expect(itemIssues(refusal('HANDOFF_UNIT_INVALID', '/data/unit'), 0, {})?.map((i) => i.path)).toEqual(['/data/unit']);
  });
});
