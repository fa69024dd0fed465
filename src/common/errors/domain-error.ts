import { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

// The one error type domain code throws. It never carries an HTTP status: the same code runs
// in scheduled jobs, and the exception filter alone decides how a code looks over HTTP.
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown> | FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  static validation(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field}: ${message}`, [{ field, message }]);
  }
}
