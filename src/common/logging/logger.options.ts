import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { DestinationStream } from 'pino';
import { AppConfig } from '../../config/app-config';
import { isSecretName, REDACTED, redactDeep, redactUrl } from './redact';

export { redactUrl } from './redact';

// Keys whose values pino serializes itself (below); formatters.log leaves them alone.
const SERIALIZED = new Set(['req', 'res', 'err']);

// Database errors carry the statement and its bound values (key hashes, emails): a log line
// keeps only what the error was, with quoted values masked.
const SQL_KEYS = ['query', 'parameters', 'sql', 'sqlMessage', 'sqlState', 'driverError', 'values'];

// pino-http hands this an error it already serialized (a plain object), pino an Error: both get
// the same treatment.
export function errSerializer(err: unknown): unknown {
  if (err === null || typeof err !== 'object') return redactDeep(err);
  const out = (err instanceof Error ? stdSerializers.err(err) : { ...(err as Record<string, unknown>) }) as Record<
    string,
    unknown
  >;
  if (!out.stack) delete out.stack;
  const isSql = SQL_KEYS.some((k) => k in out);
  for (const k of SQL_KEYS) delete out[k];
  if (isSql) {
    const mask = (s: unknown) => (typeof s === 'string' ? s.replace(/'(?:[^'\\]|\\.)*'/g, "'?'") : s);
    out.message = mask(out.message);
    if (out.stack) out.stack = mask(out.stack);
  }
  return redactDeep(out);
}

export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    // The id Fastify assigned (from X-Request-Id or a new UUID), so logs and error bodies agree.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
    // A failure is one line: the exception filter hands an unexpected error to this line (with
    // its stack) instead of logging it again; expected 5xx (no channel, database down) are warnings.
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode === 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    formatters: {
      log: (obj: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
          out[k] = SERIALIZED.has(k) ? v : isSecretName(k) && v ? REDACTED : redactDeep(v);
        }
        return out;
      },
    },
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: errSerializer,
    },
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    // No middleware of nestjs-pino's: the request line and the request-bound logger are Fastify
    // hooks of Reelay's own (request-log.ts), at a fraction of the CPU. The root logger and its
    // options (level, serializers, redaction, destination) are still made here.
    forRoutes: [],
  };
}
