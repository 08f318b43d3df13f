/**
 * JSON Schema validation in the browser without compiling code: the part of Ajv's interface
 * that @rjsf/validator-ajv8 and the engine use (compile, validate, add/get/removeSchema),
 * over @cfworker/json-schema, which interprets schemas. Ajv turns each schema into a
 * function with `new Function`, which a Content-Security-Policy without 'unsafe-eval'
 * refuses; the application forms are each procedure's own schema, published at run time,
 * so they cannot be precompiled. Errors come out in Ajv's shape (keyword, instancePath,
 * schemaPath, params, message), so rjsf's and the engine's messages read them unchanged.
 */
import { dereference, validate as interpret, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { ErrorObject, ValidateFunction } from 'ajv';

type AnySchema = Schema | boolean;
type Compiled = ValidateFunction & { schema: AnySchema };

/** Keywords whose error only says that something below failed: the errors below say what. */
const CONTAINERS = new Set(['$ref', '$recursiveRef', 'properties', 'patternProperties', 'items', 'prefixItems', 'additionalItems',
  'allOf', 'dependentSchemas', 'dependencies', 'contains', 'unevaluatedItems', 'propertyNames', 'if']);

const decodeSegment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `#/a%20b/0` (cfworker: URI-encoded) → `/a b/0` (Ajv: a JSON pointer, ~0 and ~1 kept). */
function pointer(location: string): string {
  const path = location.startsWith('#') ? location.slice(1) : location;
  return path.split('/').map(decodeSegment).join('/');
}

/** The schema object that holds the keyword at `location`, following `$ref`s through `lookup`. */
function holderOf(root: AnySchema, location: string, lookup: Record<string, Schema | boolean>): Schema | null {
  const segments = pointer(location).split('/').slice(1, -1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') return null;
    const n = node as Record<string, unknown>;
    if (seg === '$ref' || seg === '$recursiveRef') {
      const target = (n['__absolute_ref__'] ?? n['$ref']) as string | undefined;
      node = target !== undefined ? lookup[target] : undefined;
    } else {
      node = n[seg];
    }
  }
  return node !== null && typeof node === 'object' ? node as Schema : null;
}

const quoted = (text: string, re: RegExp): string => re.exec(text)?.[1] ?? '';

/** Ajv's params and message for one leaf error. */
function detail(keyword: string, unit: OutputUnit, holder: Schema | null): { params: Record<string, unknown>; message: string } {
  const value = holder?.[keyword] as unknown;
  switch (keyword) {
    case 'required': {
      const missingProperty = quoted(unit.error, /required property "(.*)"\.$/);
      return { params: { missingProperty }, message: `must have required property '${missingProperty}'` };
    }
    case 'type': {
      const type = Array.isArray(value) ? value.join(',') : String(value);
      return { params: { type }, message: `must be ${type}` };
    }
    case 'enum': return { params: { allowedValues: value }, message: 'must be equal to one of the allowed values' };
    case 'const': return { params: { allowedValue: value }, message: 'must be equal to constant' };
    case 'format': return { params: { format: value }, message: `must match format "${String(value)}"` };
    case 'pattern': return { params: { pattern: value }, message: `must match pattern "${String(value)}"` };
    case 'multipleOf': return { params: { multipleOf: value }, message: `must be multiple of ${String(value)}` };
    case 'minLength': case 'minItems': case 'minProperties':
      return { params: { limit: value }, message: `must NOT have fewer than ${String(value)} ${keyword === 'minLength' ? 'characters' : keyword === 'minItems' ? 'items' : 'properties'}` };
    case 'maxLength': case 'maxItems': case 'maxProperties':
      return { params: { limit: value }, message: `must NOT have more than ${String(value)} ${keyword === 'maxLength' ? 'characters' : keyword === 'maxItems' ? 'items' : 'properties'}` };
    case 'minimum': return { params: { comparison: '>=', limit: value }, message: `must be >= ${String(value)}` };
    case 'maximum': return { params: { comparison: '<=', limit: value }, message: `must be <= ${String(value)}` };
    case 'exclusiveMinimum': return { params: { comparison: '>', limit: value }, message: `must be > ${String(value)}` };
    case 'exclusiveMaximum': return { params: { comparison: '<', limit: value }, message: `must be < ${String(value)}` };
    case 'dependentRequired': {
      const missingProperty = quoted(unit.error, /property "([^"]*)"/);
      return { params: { missingProperty }, message: `must have property ${missingProperty}` };
    }
    case 'oneOf': return { params: { passingSchemas: null }, message: 'must match exactly one schema in oneOf' };
    case 'anyOf': return { params: {}, message: 'must match a schema in anyOf' };
    case 'not': return { params: {}, message: 'must NOT be valid' };
    case 'uniqueItems': return { params: {}, message: 'must NOT have duplicate items' };
    default: return { params: {}, message: unit.error };
  }
}

/**
 * cfworker's output units → Ajv's errors: containers dropped, a composite (anyOf/oneOf)
 * after its branches' errors (cfworker lists it first), `additionalProperties: false` as
 * one error on the object naming the property.
 */
export function toAjvErrors(units: OutputUnit[], root: AnySchema, lookup: Record<string, Schema | boolean>): ErrorObject[] {
  const out: ErrorObject[] = [];
  const walk = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const u = units[i]!;
      if (u.keyword === 'additionalProperties' || u.keyword === 'unevaluatedProperties') {
        const next = units[i + 1];
        if (next?.keyword === 'false') {
          const name = u.keyword === 'additionalProperties' ? 'additionalProperty' : 'unevaluatedProperty';
          out.push({
            keyword: u.keyword, instancePath: pointer(u.instanceLocation), schemaPath: pointer(u.keywordLocation).replace(/^/, '#'),
            params: { [name]: quoted(u.error, /^Property "(.*)" does not match/) }, message: 'must NOT have additional properties',
          });
          i++;
        }
        continue;
      }
      if (u.keyword === 'anyOf' || u.keyword === 'oneOf') {
        let end = i + 1;
        while (end < to && units[end]!.keywordLocation.startsWith(`${u.keywordLocation}/`)) end++;
        walk(i + 1, end);
        i = end - 1;
      } else if (CONTAINERS.has(u.keyword)) {
        continue;
      }
      const holder = holderOf(root, u.keywordLocation, lookup);
      const keyword = u.keyword === 'false' ? 'false schema' : u.keyword;
      out.push({ keyword, instancePath: pointer(u.instanceLocation), schemaPath: `#${pointer(u.keywordLocation)}`, ...detail(u.keyword, u, holder) });
    }
  };
  walk(0, units.length);
  return out;
}

const idOf = (schema: AnySchema): string | undefined => (typeof schema === 'object' ? schema.$id : undefined);

/** The subset of Ajv that @rjsf/validator-ajv8 (as `AjvClass`) and the engine call. */
export class InterpretingAjv {
  errors: ErrorObject[] | null = null;
  /** ajv-formats writes here; formats are cfworker's own (date, email, uri…). */
  readonly opts = { code: {} as Record<string, unknown> };
  private readonly registry = new Map<string, AnySchema>();
  /** Compiled functions by schema object; emptied when the registry changes (their $refs may resolve anew). */
  private cache = new WeakMap<object, Compiled>();

  constructor(_options?: unknown) {}

  addFormat(): this { return this; }
  addKeyword(): this { return this; }
  addMetaSchema(): this { return this; }
  addVocabulary(): this { return this; }

  addSchema(schema: AnySchema | AnySchema[], key?: string): this {
    for (const s of Array.isArray(schema) ? schema : [schema]) {
      const id = key ?? idOf(s);
      if (id !== undefined) this.registry.set(id, s);
    }
    this.cache = new WeakMap();
    return this;
  }

  getSchema(key: string): Compiled | undefined {
    const schema = this.registry.get(key);
    return schema === undefined ? undefined : this.compile(schema);
  }

  removeSchema(key?: string | AnySchema): this {
    if (key === undefined) this.registry.clear();
    else if (typeof key === 'string') this.registry.delete(key);
    else for (const [id, s] of this.registry) if (s === key) this.registry.delete(id);
    this.cache = new WeakMap();
    return this;
  }

  compile(schema: AnySchema): Compiled {
    if (typeof schema === 'object') {
      const known = this.cache.get(schema);
      if (known) return known;
    }
    // dereference() annotates the schema it is given: work on a copy, never on the caller's.
    const own = structuredClone(schema);
    const lookup = dereference(own as Schema);
    for (const [id, s] of this.registry) if (s !== schema) dereference({ ...structuredClone(s as Schema), $id: id }, lookup);
    const fn = ((data: unknown): boolean => {
      const result = interpret(data, own, '2020-12', lookup, false);
      fn.errors = result.valid ? null : toAjvErrors(result.errors, own, lookup);
      return result.valid;
    }) as Compiled;
    fn.errors = null;
    fn.schema = schema;
    if (typeof schema === 'object') this.cache.set(schema, fn);
    return fn;
  }

  validate(schemaOrKey: AnySchema | string, data: unknown): boolean {
    const fn = typeof schemaOrKey === 'string' ? this.getSchema(schemaOrKey) : this.compile(schemaOrKey);
    if (!fn) throw new Error(`no schema with key or ref "${String(schemaOrKey)}"`);
    const ok = fn(data);
    this.errors = fn.errors ?? null;
    return ok;
  }
}
