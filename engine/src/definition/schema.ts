import procedureSchemaJson from '../../schema/procedure.schema.json' with { type: 'json' };

/** The `$id` of the published JSON Schema of a procedure definition (v1). */
export const PROCEDURE_SCHEMA_ID = 'https://motcua.dev/schema/procedure/v1.json';

/** The published JSON Schema (2020-12) of `ProcedureDefinition`, as plain data; treat it as read-only. */
export const procedureSchema: { readonly [keyword: string]: unknown; readonly $id: string } = procedureSchemaJson;
