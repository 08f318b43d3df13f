/**
 * Checks a scenario file against `engine/schema/scenario.schema.json`: every object rejects
 * keys it does not define, so `"expct"` or `"inputz"` is an error naming the key instead of an
 * expectation silently never checked. Pure (AJV compiles in memory).
 */
import scenarioSchemaJson from '../../schema/scenario.schema.json' with { type: 'json' };
import { createAjv, describeAjvErrors } from '../definition/ajv';
import type { LocalizedText } from '../definition/types';

/** The published JSON Schema (2020-12) of a scenario, as plain data; treat it as read-only. */
export const scenarioSchema: { readonly [keyword: string]: unknown; readonly $id: string } = scenarioSchemaJson;

let compiled: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

/** Issues (JSON pointer and message) of a parsed scenario file; an empty list when it conforms. */
export function validateScenario(value: unknown): { path: string; message: LocalizedText }[] {
  compiled ??= createAjv().compile(scenarioSchema);
  return compiled(value) ? [] : describeAjvErrors(compiled.errors);
}
