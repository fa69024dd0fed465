import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';
import { ErrorShapes } from './error-shapes';

// The one filter: every error leaves in its surface's one JSON shape (ErrorShapes). It logs
// nothing itself: the request's one log line (pino-http) carries an unexpected error with its
// stack, and an expected failure (a 503 for no channel, a 429) by its code only.
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly shapes: ErrorShapes) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(err, String(request.id));
    const { status, body } = response;
    (reply.raw as unknown as { err?: unknown }).err =
      status === 500 ? err : status >= 500 ? expectedFailure(body.error.code, body.error.message) : undefined;
    const out = this.shapes.render(request.url.split('?')[0], response);
    if (response.retryAfterSeconds !== undefined) void reply.header('retry-after', String(response.retryAfterSeconds));
    if (out.headers) void reply.headers(out.headers);
    void reply.status(out.status).send(out.body);
  }
}

// What the request line says about an expected failure: its code, no stack.
function expectedFailure(code: string, message: string): Error {
  const e = Object.assign(new Error(message), { code });
  e.name = 'DomainError';
  e.stack = '';
  return e;
}
