import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { RuleTooCostly, type EngineError, type LocalizedText } from '@motcua/engine';
import { isConnectionError, outageLog, OUTAGE_RETRY_AFTER_SECONDS } from '../db/outage';
import { safeError } from './logSafe';
import { redactUrl } from './redact';

export interface Issue {
  path: string;
  message: LocalizedText;
}

/**
 * An error the client can act on (4xx, not reported as a bug) or an operational one
 * (503: retry later). Anything else reaching the handler is a bug: 500, logged.
 */
/** Issues listed in one answer: a body full of mistakes needs no thousand lines back (nor the work to describe them). */
export const MAX_ISSUES = 20;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: LocalizedText,
    readonly issues?: Issue[],
    readonly details?: { [key: string]: unknown },
  ) {
    super(messages.en);
    this.name = 'HttpError';
  }
}

export const notFound = (what: { vi: string; en: string }, id: string): HttpError =>
  new HttpError(404, 'NOT_FOUND', { vi: `Không tìm thấy ${what.vi} "${id}"`, en: `No ${what.en} "${id}"` });

export const forbidden = (messages: LocalizedText): HttpError => new HttpError(403, 'FORBIDDEN', messages);

export const unauthorized = (): HttpError =>
  new HttpError(401, 'UNAUTHENTICATED', { vi: 'Cần đăng nhập (thiếu hoặc sai mã xác thực)', en: 'Authentication required (missing or invalid token)' });

const ENGINE_STATUS: { [code: string]: number } = {
  ACTION_UNKNOWN: 422,
  ACTION_NOT_AVAILABLE: 409,
  ACTION_FORBIDDEN_ROLE: 403,
  ACTION_FORBIDDEN_UNIT: 403,
  ACTION_GUARD_FAILED: 422,
  ACTION_INPUT_INVALID: 422,
  ACTION_LIMIT_REACHED: 409,
  DOSSIER_VERSION_CONFLICT: 409,
  DOSSIER_CLOSED: 409,
  START_INVALID: 422,
  REPLAY_MISMATCH: 500,
};

/** Maps a typed engine error to HTTP. */
export function fromEngine(e: EngineError, details: { [key: string]: unknown } = {}): HttpError {
  return new HttpError(ENGINE_STATUS[e.code] ?? 422, e.code, e.message, e.issues, {
    ...(e.currentVersion !== undefined ? { currentVersion: e.currentVersion } : {}),
    ...details,
  });
}

/** The last middleware: every error becomes `{ error: { code, message: { vi, en }, issues? } }`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.headersSent) return;
    const body = (e: HttpError) => ({
      error: { code: e.code, message: e.messages, ...(e.issues ? { issues: e.issues } : {}), ...(e.details ?? {}) },
    });
    if (err instanceof HttpError) {
      res.status(err.status).json(body(err));
      return;
    }
    // A procedure's expression stopped by its budget: the definition is at fault, not the server.
    if (err instanceof RuleTooCostly) {
      logger.warn({ reason: err.reason, method: req.method, url: redactUrl(req.originalUrl) }, 'a procedure expression exceeded its evaluation budget');
      res.status(422).json(body(new HttpError(422, err.code, err.messages)));
      return;
    }
    const typed = err as { type?: string; status?: number; message?: string };
    if (typed.type === 'entity.parse.failed') {
      res.status(400).json(body(new HttpError(400, 'BAD_JSON', {
        vi: `Nội dung gửi lên không phải JSON hợp lệ: ${typed.message ?? ''}`,
        en: `The request body is not valid JSON: ${typed.message ?? ''}`,
      })));
      return;
    }
    if (typed.type === 'entity.too.large') {
      res.status(413).json(body(new HttpError(413, 'PAYLOAD_TOO_LARGE', { vi: 'Nội dung gửi lên quá lớn', en: 'The request body is too large' })));
      return;
    }
    if (typed.status && typed.status >= 400 && typed.status < 500) {
      res.status(typed.status).json(body(new HttpError(typed.status, 'BAD_REQUEST', { vi: `Yêu cầu không hợp lệ: ${typed.message ?? ''}`, en: `Bad request: ${typed.message ?? ''}` })));
      return;
    }
    // The database is down or restarting (the driver's error, or the ORM's wrapping it):
    // not a bug. Logged once per outage, not per request; the client is told when to retry.
    if (isConnectionError(err)) {
      outageLog(logger).report(err, req.method);
      res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      res.status(503).json(body(new HttpError(503, 'UNAVAILABLE', { vi: 'Hệ thống tạm thời không sẵn sàng, vui lòng thử lại', en: 'Temporarily unavailable, please retry' })));
      return;
    }
    // Never the error as thrown: it may carry the SQL parameters or the body (personal data).
    logger.error({ err: safeError(err), method: req.method, url: redactUrl(req.originalUrl) }, 'unexpected error');
    res.status(500).json(body(new HttpError(500, 'INTERNAL', { vi: 'Lỗi hệ thống không mong muốn', en: 'Unexpected server error' })));
  };
}
