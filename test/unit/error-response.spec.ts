import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { DomainError } from '../../src/common/errors/domain-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { isDatabaseUnavailable, toErrorResponse } from '../../src/common/errors/error-response';

describe('toErrorResponse', () => {
  it('maps a domain error code to its status and keeps its details', () => {
    const r = toErrorResponse(DomainError.validation('email', 'must be an email'), 'req-1');
    expect(r).toEqual({
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'email: must be an email',
          details: [{ field: 'email', message: 'must be an email' }],
        },
        request_id: 'req-1',
      },
    });
    expect(toErrorResponse(new DomainError(ErrorCode.EmailTaken, 'taken'), 'r').status).toBe(409);
  });

  it('maps Fastify body errors that Nest wraps', () => {
    const cause = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(toErrorResponse(new HttpException('too large', 413, { cause }), 'r').body.error.code).toBe(
      'payload_too_large',
    );
    const bad = Object.assign(new Error('bad json'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    expect(toErrorResponse(new BadRequestException('x', { cause: bad }), 'r').body.error.code).toBe('malformed_body');
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x'), 'r').body.error).toEqual({
      code: 'route_not_found',
      message: 'Cannot GET /x',
      details: null,
    });
  });

  it('answers anything unknown with a bare 500: no message, no stack, no SQL', () => {
    const r = toErrorResponse(new Error("ER_PARSE_ERROR near 'SELECT password_hash FROM users'"), 'req-9');
    expect(r).toEqual({
      status: 500,
      body: { error: { code: 'internal_error', message: 'Internal server error', details: null }, request_id: 'req-9' },
    });
  });
});

describe('isDatabaseUnavailable', () => {
  const queryFailed = (code: string) =>
    Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError: { code } });

  it('treats a busy or locked database as unavailable (503, retry as is), extended codes included', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED_SHAREDCACHE', 'SQLITE_IOERR_WRITE']) {
      expect({ code, unavailable: isDatabaseUnavailable(queryFailed(code)) }).toEqual({ code, unavailable: true });
    }
    expect(toErrorResponse(queryFailed('SQLITE_BUSY_SNAPSHOT'), 'r').status).toBe(503);
  });

  it('leaves a wrong statement as a bug', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'ER_PARSE_ERROR']) {
      expect({ code, unavailable: isDatabaseUnavailable(queryFailed(code)) }).toEqual({ code, unavailable: false });
    }
  });
});
