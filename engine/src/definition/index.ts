export * from './types';
export { validateDefinition } from './validate';
export { procedureSchema, PROCEDURE_SCHEMA_ID } from './schema';
export { DEFINITION_ISSUE_CODES, type DefinitionIssueCode } from './issues';
export { createAjv, describeAjvError, describeAjvErrorPlain, describeAjvErrors, schemaCompiler, installSchemaCompiler, type SchemaCompiler } from './ajv';
export { validateLinks } from './checkHandoffs';
