import { FastifyAdapter } from '@nestjs/platform-fastify';
import { errorCodes, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { DEFAULT_JSON_LIMITS, JsonLimits, JsonScanner } from './json-scanner';

const KIB = 1024;
const MIB = 1024 * KIB;

// Bodies are bounded per route before they are read: callbacks and notifies are small, batch
// creation is sized for its largest row cap, and only the routes where base64 images travel get
// BODY_LIMIT_MB. Everything else gets 1 MiB.
export const SMALL_BODY_LIMIT = 64 * KIB;
export const DEFAULT_BODY_LIMIT = 1 * MIB;
// 10,000 rows (the highest max_batch_rows an admin may set) of about 1.6 KB, or ~1,300 rows
// with the longest prompts.
export const BATCH_BODY_LIMIT = 16 * MIB;

export function bodyLimitFor(url: string, config: AppConfig): number {
  if (/^\/(kling|kie)\/callback\//.test(url) || url === '/api/payment/alipay/notify') return SMALL_BODY_LIMIT;
  // Kling's paths (Reelay's /kling/… and the native /v1/videos/…), OpenAI's /v1/videos, Veo.
  if (/^\/(kling\/)?v1\/videos(\/|$)/.test(url) || url === '/api/generate/video') return config.bodyLimitBytes;
  if (url === '/api/v1/workflow/batch-generate') return Math.min(BATCH_BODY_LIMIT, config.bodyLimitBytes);
  return Math.min(DEFAULT_BODY_LIMIT, config.bodyLimitBytes);
}

// Nest is created with `bodyParser: false`; these take its place. Call before app.init().
export function registerBodyParsers(adapter: FastifyAdapter, config: AppConfig, limits = DEFAULT_JSON_LIMITS): void {
  const fastify: FastifyInstance = adapter.getInstance();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    route.bodyLimit ??= bodyLimitFor(route.url, config);
  });
  addStreamingJsonParser(fastify, limits);
  // Nest's own form parser (fast-querystring, __proto__ refused), for Alipay's notify.
  adapter.useBodyParser('application/x-www-form-urlencoded', false);
}

// JSON bodies are scanned as their chunks arrive (JsonScanner) and parsed only when the whole
// body passed: prototype keys are refused as in Fastify's default parser.
function addStreamingJsonParser(fastify: FastifyInstance, limits: JsonLimits): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', (req: FastifyRequest, payload, done) => {
    const limit = req.routeOptions.bodyLimit ?? fastify.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
    const scanner = new JsonScanner(limits);
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (err: Error) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
      payload.resume(); // discard the rest; Fastify closes the connection after the error
      done(err, undefined);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      const problem = scanner.feed(chunk);
      if (problem) return stop(new DomainError(ErrorCode.MalformedBody, problem));
      chunks.push(chunk);
    };
    const onError = (err: Error) => stop(Object.assign(err, { statusCode: 400 }));
    const onEnd = () => {
      payload.removeListener('data', onData);
      payload.removeListener('error', onError);
      if (!Number.isNaN(declared) && received !== declared) {
        return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), undefined);
      }
      void parse(req, Buffer.concat(chunks, received).toString('utf8'), done);
    };
    payload.on('data', onData);
    payload.once('end', onEnd);
    payload.once('error', onError);
  });
}
