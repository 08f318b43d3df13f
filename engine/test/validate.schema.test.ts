import { describe, expect, it } from 'vitest';
import { createAjv, describeAjvErrors } from '../src/definition/ajv';
import { PROCEDURE_SCHEMA_ID, procedureSchema } from '../src/definition/schema';
import { minimalDefinition, richDefinition } from './fixtures/definitions';

type Node = { [keyword: string]: unknown };
const defs = procedureSchema['$defs'] as { [name: string]: Node };

/** Every `properties` entry of the schema, with its pointer. */
function properties(node: unknown, pointer = ''): { pointer: string; schema: Node }[] {
  if (node === null || typeof node !== 'object') return [];
  const found: { pointer: string; schema: Node }[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, schema] of Object.entries(value)) found.push({ pointer: `${pointer}/properties/${name}`, schema: schema as Node });
    }
    found.push(...properties(value, `${pointer}/${key}`));
  }
  return found;
}

/** The help shown for a property: its own, else that of the definition it refers to. */
function helpOf(schema: Node): { title?: unknown; description?: unknown } {
  const ref = typeof schema['$ref'] === 'string' ? defs[schema['$ref'].replace('#/$defs/', '')] : undefined;
  return { title: schema['title'] ?? ref?.['title'], description: schema['description'] ?? ref?.['description'] };
}

describe('published procedure schema', () => {
  it('should be a 2020-12 schema with the published $id', () => {
    // given the exported schema
    // when its header is read
    // then it names the draft and our id
    expect(procedureSchema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(procedureSchema.$id).toBe(PROCEDURE_SCHEMA_ID);
    expect(PROCEDURE_SCHEMA_ID).toBe('https://motcua.dev/schema/procedure/v1.json');
  });

  it('should compile under AJV strict mode', () => {
    // given a strict AJV, which rejects unknown keywords and loose types
    const ajv = createAjv({ strict: true, strictRequired: false, discriminator: true });
    // when the schema is compiled
    const validate = ajv.compile(procedureSchema);
    // then the fixtures pass it
    expect(validate(minimalDefinition())).toBe(true);
    expect(validate(richDefinition())).toBe(true);
  });

  it('should give every property a title and a Vietnamese and English description', () => {
    // given every property the designer may show help for, except discriminating constants
    const all = properties(procedureSchema).filter(({ schema }) => !('const' in schema));
    // when their help is read
    const missing = all.filter(({ schema }) => {
      const { title, description } = helpOf(schema);
      return typeof title !== 'string' || typeof description !== 'string' || description.split('\n').length !== 2;
    });
    // then none lacks it
    expect(all.length).toBeGreaterThan(100);
    expect(missing.map((m) => m.pointer)).toEqual([]);
  });

  it('should close our objects but leave embedded schemas and rules open', () => {
    // given the definitions of the schema
    // when their openness is read
    const objects = Object.values(defs).flatMap((d) => (Array.isArray(d['oneOf']) ? (d['oneOf'] as Node[]) : [d]))
      .filter((d) => d['type'] === 'object');
    // then every object of ours is closed, and JSON Schemas and JSON Logic rules are not constrained
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.filter((d) => d['additionalProperties'] !== false)).toEqual([]);
    expect(defs['jsonSchema']).not.toHaveProperty('additionalProperties');
    expect(defs['jsonLogicRule']).not.toHaveProperty('type');
  });
});

describe('describeAjvErrors', () => {
  const ajv = createAjv();
  const validate = ajv.compile({
    type: 'object',
    properties: {
      unit: { oneOf: [{ type: 'string', enum: ['receiving', 'return'] }, { type: 'object', properties: { unit: { type: 'string' } }, required: ['unit'] }] },
      kind: { anyOf: [{ $ref: '#/$defs/word' }, { type: 'array', items: { $ref: '#/$defs/word' } }] },
    },
    $defs: { word: { enum: ['a', 'b'] } },
  });
  const describe = (data: unknown): [string, string][] => {
    validate(data);
    return describeAjvErrors(validate.errors).map((d) => [d.path, d.message.en]);
  };

  it('should say "must be A or B" once when no branch fits the type', () => {
    // given a number where a string or an object is expected
    // when the errors are described
    // then one issue lists the types
    expect(describe({ unit: 5 })).toEqual([['/unit', '/unit: must be string or object']]);
  });

  it('should keep only the branch whose type fits', () => {
    // given a string outside the allowed words, and an object missing its field
    // when the errors are described
    // then only the fitting branch speaks
    expect(describe({ unit: 'district' })).toEqual([['/unit', '/unit: must be one of: ["receiving","return"]']]);
    expect(describe({ unit: {} })).toEqual([['/unit/unit', '/unit: must have required property "unit"']]);
  });

  it('should prefer the errors found inside the value, also through $ref branches', () => {
    // given an array with one wrong word
    // when the errors are described
    // then the wrong item is named, not the whole value
    expect(describe({ kind: ['a', 'c'] })).toEqual([['/kind/1', '/kind/1: must be one of: ["a","b"]']]);
  });
});
