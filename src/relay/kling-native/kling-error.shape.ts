import { ErrorCode } from '../../common/errors/error-code';
import { ErrorResponse } from '../../common/errors/error-response';
import { RenderedError } from '../../common/errors/error-shapes';

// Kling's error envelope and business codes (providers.md §1.9), so Kling client code reads
// Reelay's refusals as it reads Kling's: 1000s authentication, 1102 balance, 1200s parameters,
// 1300s policy and rate limits, 5000s service.
const KLING: Partial<Record<string, [number, number]>> = {
  [ErrorCode.Unauthenticated]: [401, 1000],
  [ErrorCode.InvalidCredentials]: [401, 1000],
  [ErrorCode.Forbidden]: [403, 1103],
  [ErrorCode.UserDisabled]: [401, 1100],
  [ErrorCode.InsufficientBalance]: [429, 1102],
  [ErrorCode.SpendCapExceeded]: [429, 1102],
  [ErrorCode.MalformedBody]: [400, 1200],
  [ErrorCode.UnsupportedMediaType]: [400, 1200],
  [ErrorCode.PayloadTooLarge]: [400, 1200],
  [ErrorCode.ValidationFailed]: [400, 1201],
  [ErrorCode.ModelNotPriced]: [400, 1201],
  [ErrorCode.IdempotencyMismatch]: [400, 1201],
  [ErrorCode.UpstreamRejected]: [400, 1201],
  [ErrorCode.Conflict]: [400, 1201],
  [ErrorCode.UnsupportedOperation]: [400, 1201],
  [ErrorCode.MethodNotAllowed]: [404, 1202],
  [ErrorCode.NotFound]: [404, 1203],
  [ErrorCode.RouteNotFound]: [404, 1203],
  [ErrorCode.ContentRejected]: [400, 1301],
  [ErrorCode.RateLimited]: [429, 1302],
  [ErrorCode.IdempotencyInFlight]: [429, 1303],
  [ErrorCode.NoChannel]: [503, 5001],
  [ErrorCode.UpstreamUnavailable]: [503, 5001],
  [ErrorCode.ServiceUnavailable]: [503, 5001],
};

export function klingError(e: ErrorResponse): RenderedError {
  const [status, code] = KLING[e.body.error.code] ?? (e.status >= 500 ? [500, 5000] : [e.status, 1200]);
  return {
    status,
    headers: status === 503 || status === 429 ? { 'retry-after': '5' } : {},
    body: { code, message: e.body.error.message, request_id: e.body.request_id, data: null },
  };
}

const KINDS = /^\/v1\/videos\/(?:text2video|image2video|multi-image2video|omni-video)(?:\/|$)/;

export const isKlingProtocolPath = (path: string): boolean => KINDS.test(path);
