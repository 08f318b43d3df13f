import { describe, expect, it } from 'vitest';
import { createAjv, describeAjvErrors } from '../src/definition/ajv';

describe('errors of a choice among fixed values', () => {
  it('should name every allowed channel when a channel is wrong', () => {
    // given a schema like the intake body's: the channel is one of three constants
    const validate = createAjv().compile({
      type: 'object',
      properties: { channel: { anyOf: [{ const: 'direct' }, { const: 'online' }, { const: 'postal' }] } },
    });
    // when the channel is misspelt
    validate({ channel: 'Online' });
    // then one issue points at it and lists the allowed values in both languages
    expect(describeAjvErrors(validate.errors)).toEqual([{
      path: '/channel',
      message: { vi: '/channel: phải là một trong: ["direct","online","postal"]', en: '/channel: must be one of: ["direct","online","postal"]' },
    }]);
  });
});
