import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAjv, describeAjvErrors } from '@motcua/engine';
import { InterpretingAjv } from './interpretingAjv';

const dir = new URL('../../../procedures/', import.meta.url);
/** Every schema a procedure carries: its data, each step's form and each action's inputs. */
function shippedSchemas(): [string, object][] {
  const out: [string, object][] = [];
  for (const slug of readdirSync(dir)) {
    let def: { data?: object; steps: { id: string; form?: object; actions?: { id: string; inputs?: object }[] }[] };
    try {
      def = JSON.parse(readFileSync(new URL(`${slug}/procedure.json`, dir), 'utf8'));
    } catch {
      continue;
    }
    if (def.data) out.push([`${slug} data`, def.data]);
    for (const s of def.steps) {
      if (s.form) out.push([`${slug} ${s.id} form`, s.form]);
      for (const a of s.actions ?? []) if (a.inputs && Object.keys(a.inputs).length) out.push([`${slug} ${a.id} inputs`, a.inputs]);
    }
  }
  return out;
}

/** Wrong values for every property: each other JSON type, an empty string, a long string. */
function hostileSamples(schema: { properties?: { [k: string]: unknown } }): unknown[] {
  const keys = Object.keys(schema.properties ?? {});
  const values: unknown[] = [42, -1.5, 'x', '', 'y'.repeat(600), true, null, [], {}, '2026-13-45', 'not an email', '1e999'];
  return [{}, null, [], 'text', ...values.map((v) => Object.fromEntries(keys.map((k) => [k, v]))), { extra: 1 }];
}

describe('InterpretingAjv (no eval) judges as Ajv does', () => {
  const schemas = shippedSchemas();

  it('should agree with Ajv on validity and on the places of the errors, for every shipped schema', () => {
    expect(schemas.length).toBeGreaterThan(10);
    let compared = 0;
    for (const [name, schema] of schemas) {
      const ajv = createAjv().compile(schema);
      const mine = new InterpretingAjv().compile(schema);
      for (const sample of hostileSamples(schema as never)) {
        const expected = ajv(sample);
        expect(mine(sample), `${name}: ${JSON.stringify(sample).slice(0, 80)}`).toBe(expected);
        const paths = (errors: Parameters<typeof describeAjvErrors>[0]) => [...new Set(describeAjvErrors(errors).map((d) => d.path))].sort();
        expect(paths(mine.errors), `${name}: ${JSON.stringify(sample).slice(0, 80)}`).toEqual(paths(ajv.errors));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('should resolve $ref through a registered root schema, as rjsf registers it', () => {
    const v = new InterpretingAjv();
    v.addSchema({ $defs: { name: { type: 'string', minLength: 2 } } }, '__rjsf_rootSchema');
    const check = v.compile({ type: 'object', properties: { n: { $ref: '__rjsf_rootSchema#/$defs/name' } }, required: ['n'] });
    expect(check({ n: 'ab' })).toBe(true);
    expect(check({ n: 'a' })).toBe(false);
    expect(check.errors).toMatchObject([{ keyword: 'minLength', instancePath: '/n', params: { limit: 2 } }]);
    expect(check({})).toBe(false);
    expect(check.errors).toMatchObject([{ keyword: 'required', instancePath: '', params: { missingProperty: 'n' } }]);
  });

  it('should never compile code: no Function constructor is reached', () => {
    const original = globalThis.Function;
    const trap = new Proxy(original, { construct() { throw new Error('eval'); }, apply() { throw new Error('eval'); } });
    globalThis.Function = trap as FunctionConstructor;
    try {
      for (const [, schema] of schemas) {
        const fn = new InterpretingAjv().compile(schema);
        fn({});
      }
    } finally {
      globalThis.Function = original;
    }
  });
});
