import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

type Level = 'info' | 'warn' | 'error';

// The request's one log line and its request-bound logger, as Fastify hooks on the raw request.
// Hand-written in place of nestjs-pino's middleware (pino-http run through @fastify/middie),
// which cost about a third of a request's CPU on the hot routes (docs/benchmarks.md); the line
// is the same: `req` bound (the serializers redact it), `res`, `err`, `responseTime`, and the
// level by status (500 an error, other 4xx/5xx a warning, the rest info).
export function registerRequestLog(fastify: FastifyInstance, pino: PinoLogger): void {
  fastify.addHook('onRequest', (req, reply, done) => {
    // Logs made while serving the request (PinoLogger in any service) carry `req`, as before.
    pino.runInContext(
      () => {
        const log = pino.logger as Logger;
        const started = Date.now();
        reply.raw.once('close', () => requestLine(log, reply.raw, started));
        done();
      },
      { bindings: { req: req.raw } }, // the root's serializers read the raw request and response
    );
  });
}

// Written once the response is finished or the connection closed (a hijacked event stream too).
function requestLine(log: Logger, res: ServerResponse, started: number): void {
  const status = res.statusCode;
  const level: Level = status === 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!log.isLevelEnabled(level)) return;
  const responseTime = Date.now() - started;
  // An error the exception filter handed over (unexpected: with its stack; expected: its code).
  const given = (res as ServerResponse & { err?: unknown }).err;
  if (given || status >= 500) {
    const err = given ?? new Error(`failed with status code ${status}`);
    log[level]({ res, err, responseTime }, 'request errored');
    return;
  }
  log[level]({ res, responseTime }, res.writableEnded ? 'request completed' : 'request aborted');
}
