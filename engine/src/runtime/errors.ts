import type { EngineError, EngineErrorCode } from './types';
import type { LocalizedText } from '../definition/types';

/** Builds a failed result; the message says what is wrong in both languages. */
export function fail(code: EngineErrorCode, message: LocalizedText, extra: Partial<EngineError> = {}): { ok: false; error: EngineError } {
  return { ok: false, error: { code, message, ...extra } };
}

/** Thrown by `compileProcedure` for a definition that does not validate. */
export class DefinitionError extends Error {
  constructor(
    message: string,
    readonly issues: { code: string; path: string; message: LocalizedText }[],
  ) {
    super(message);
    this.name = 'DefinitionError';
  }
}
