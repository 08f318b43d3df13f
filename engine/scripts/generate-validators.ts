/**
 * Generates the engine's fixed validators as plain JavaScript (Ajv standalone code), so that
 * validating a procedure definition, and a form schema against the JSON Schema meta-schema,
 * never compiles code at run time: the web app runs under a Content-Security-Policy without
 * 'unsafe-eval'. Deterministic: the same Ajv and schema give the same bytes (a test checks
 * the checked-in files are current). Run: `npm run validators -w engine`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validatorSources } from './validators';

const out = fileURLToPath(new URL('../src/definition/generated/', import.meta.url));
for (const [file, code] of Object.entries(validatorSources())) writeFileSync(`${out}${file}`, code);
