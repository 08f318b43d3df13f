/**
 * The engine's checks of a procedure's own schemas (the designer's live validation and
 * simulation) interpret them instead of compiling them: the CSP has no 'unsafe-eval'
 * (README, Security). The definition and meta-schema validators are precompiled in the
 * engine. Imported, for its effect, by the designer models that call the engine.
 */
import { installSchemaCompiler, type SchemaCompiler } from '@motcua/engine';
import { InterpretingAjv } from './interpretingAjv';

// The interpreter implements what the engine calls (compile), with Ajv's error shape.
installSchemaCompiler(() => new InterpretingAjv() as unknown as SchemaCompiler);
