import { HttpException } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';
import { ERROR_HTTP_STATUS, ErrorCode } from './error-code';

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | FieldError[] | null };
  request_id: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  // Seconds for a Retry-After header (rate limits, database outages).
  retryAfterSeconds?: number;
}

// How long a client should wait when the database does not answer.
export const DB_RETRY_AFTER_SECONDS = 5;

// Driver codes and messages that mean the database is unreachable or overloaded, not that the
// statement was wrong: the request may be retried as is.
const DB_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);
// SQLite's extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, SQLITE_IOERR_*) mean the same.
const SQLITE_EXTENDED_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR)_/;
const DB_UNAVAILABLE_MESSAGE =
  /closed state|connection lost|pool is closed|not connected|connection is not established/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as
        { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined,
      i = 0;
    e && i < 4;
    i++
  ) {
    if (typeof e.code === 'string' && (DB_UNAVAILABLE_CODES.has(e.code) || SQLITE_EXTENDED_UNAVAILABLE.test(e.code)))
      return true;
    const name = (e as { name?: unknown }).name;
    if (
      (name === 'QueryFailedError' || name === 'DriverError' || name === 'TypeORMError') &&
      typeof e.message === 'string' &&
      DB_UNAVAILABLE_MESSAGE.test(e.message)
    )
      return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

// Fastify's own errors (body parsing, limits) arrive before any Nest handler runs.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.MalformedBody,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MalformedBody,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MalformedBody,
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.RouteNotFound,
  405: ErrorCode.MethodNotAllowed,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

// Maps anything thrown to the one error shape. Unknown errors become a bare 500: no stack,
// no SQL text, only the request id to find the log line.
export function toErrorResponse(err: unknown, requestId: string): ErrorResponse {
  const make = (status: number, code: string, message: string, details: ErrorBody['error']['details'] = null) => ({
    status,
    body: { error: { code, message, details }, request_id: requestId },
  });
  // A DomainError raised inside Fastify (a body parser) arrives wrapped by Nest.
  const domain = err instanceof HttpException && err.cause instanceof DomainError ? err.cause : err;
  if (domain instanceof DomainError) {
    const res = make(ERROR_HTTP_STATUS[domain.code], domain.code, domain.message, domain.details ?? null);
    const retry = (domain.details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
    return typeof retry === 'number' ? { ...res, retryAfterSeconds: retry } : res;
  }
  if (isDatabaseUnavailable(err)) {
    return {
      ...make(503, ErrorCode.ServiceUnavailable, 'The database is unavailable; retry shortly', {
        retry_after_seconds: DB_RETRY_AFTER_SECONDS,
      }),
      retryAfterSeconds: DB_RETRY_AFTER_SECONDS,
    };
  }
  // Nest wraps Fastify's own errors (body parsing, limits) in an HttpException with the
  // original as the cause.
  const fastifyCode = fastifyCodeOf(err instanceof HttpException ? err.cause : err);
  if (fastifyCode) {
    return make(ERROR_HTTP_STATUS[fastifyCode], fastifyCode, (err as Error).message || fastifyCode);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
    return make(status, code, status >= 500 ? 'Internal server error' : httpMessage(err));
  }
  const fastify = err as { statusCode?: number; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const code = HTTP_STATUS_CODES[fastify.statusCode] ?? ErrorCode.ValidationFailed;
    return make(fastify.statusCode, code, fastify.message ?? code);
  }
  return make(500, ErrorCode.Internal, 'Internal server error');
}

function fastifyCodeOf(err: unknown): ErrorCode | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? FASTIFY_CODES[code] : undefined;
}

function httpMessage(err: HttpException): string {
  const res = err.getResponse();
  if (typeof res === 'string') return res;
  const msg = (res as { message?: unknown }).message;
  return Array.isArray(msg) ? msg.join('; ') : typeof msg === 'string' ? msg : err.message;
}
