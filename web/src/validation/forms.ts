/**
 * rjsf's validator for the forms (intake data, action inputs), over the interpreting Ajv:
 * each procedure's form schema is published at run time and cannot be precompiled, and the
 * CSP has no 'unsafe-eval' (README, Security).
 */
import type Ajv from 'ajv';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { InterpretingAjv } from './interpretingAjv';

export const formValidator = customizeValidator({
  // The interpreter implements the part of Ajv's interface rjsf calls, not its type.
  AjvClass: InterpretingAjv as unknown as typeof Ajv,
  // Formats are the interpreter's own (no ajv-formats code).
  ajvFormatOptions: false,
});
