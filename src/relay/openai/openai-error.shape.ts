import { ErrorResponse } from '../../common/errors/error-response';
import { RenderedError } from '../../common/errors/error-shapes';

// OpenAI's error envelope, so the official SDKs raise their own typed errors (BadRequestError with
// `param`, AuthenticationError, NotFoundError, RateLimitError, …) for Reelay's answers.
export function openAiError(e: ErrorResponse): RenderedError {
  const { code, message, details } = e.body.error;
  const param = Array.isArray(details) && details.length > 0 ? details[0].field : null;
  const headers: Record<string, string> = e.status === 503 || e.status === 429 ? { 'retry-after': '5' } : {};
  return {
    status: e.status,
    headers,
    body: {
      error: {
        message,
        type: errorType(e.status),
        param,
        code: code === 'insufficient_balance' ? 'insufficient_credits' : code,
      },
      request_id: e.body.request_id,
    },
  };
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
