import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import multipart from '@fastify/multipart';
import { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { registerBodyParsers } from './common/http/body-parsers';
import { securityHeaders } from './common/http/security-headers';
import { registerRequestLog } from './common/logging/request-log';
import { ShutdownSignal } from './common/lifecycle/shutdown-signal';
import { AppConfig } from './config/app-config';
import { serveConsole } from './console/console-static';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// How every entry point creates the Nest application: Reelay registers its own body parsers
// (bounded JSON, see registerBodyParsers).
export const NEST_APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, bodyParser: false };

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Signed media links carry their object key, expiry and HMAC in one path segment.
    routerOptions: { maxParamLength: 400 },
    // A client must send its whole request within requestTimeout and its headers within
    // headersTimeout, so slow-body clients cannot hold connections open (Node checks every
    // second, see the server options below).
    requestTimeout: config.httpRequestTimeoutMs,
    http: { headersTimeout: config.httpHeadersTimeoutMs, connectionsCheckingInterval: 1_000 },
    // Honour a sane caller-supplied X-Request-Id so a request can be traced across services.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      (req as IncomingMessage & { id?: string }).id = id;
      return id;
    },
  });
  registerBodyParsers(adapter, config);
  return adapter;
}

// Everything main.ts, the tests and the OpenAPI tool share about the HTTP layer.
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestLog(fastify, await app.resolve(PinoLogger));
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  const shutdown = app.get(ShutdownSignal);
  fastify.addHook('onRequest', (req, _reply, done) => {
    if (req.headers.accept?.includes('text/event-stream') || /\/events(\?|$)/.test(req.url)) {
      shutdown.trackStreamSocket(req.raw.socket);
    }
    done();
  });
  // Set on the raw response, as helmet does, so hijacked replies (event streams) carry them too.
  const security = securityHeaders({
    // Swagger UI at /docs needs inline styles and scripts; nothing else is served as HTML.
    // No upgrade-insecure-requests: over plain HTTP it makes browsers fetch the page's own assets
    // over https, and /docs stays blank.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        // The console plays results from the providers' CDNs (media cannot run script).
        mediaSrc: ["'self'", 'https:', 'http:', 'blob:'],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only on answers that went out over HTTPS (below).
    hsts: false,
  });
  fastify.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of security) reply.raw.setHeader(name, value);
    done();
  });
  fastify.addHook('onSend', (req, reply, payload, done) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done(null, payload);
  });
  await serveConsole(app, config);
  await registerMultipart(app);
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600,
    });
  }
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

const UPLOAD_LIMITS = { fileSize: 10 * 1024 * 1024, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 24 };

// multipart/form-data only where a route asks for it (@RouteConfig({ multipart: true }): the
// OpenAI create, whose SDKs upload the reference image); everywhere else it is a 415. The parts
// become the body (fields as strings, the file as a Buffer); a broken upload is a 400.
async function registerMultipart(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart, { limits: UPLOAD_LIMITS });
  const fastify = app.getHttpAdapter().getInstance();
  const allowed = (req: FastifyRequest) => (req.routeOptions.config as { multipart?: boolean } | undefined)?.multipart;
  fastify.addHook('onRequest', (req, _reply, done) => {
    const type = req.headers['content-type'];
    if (typeof type !== 'string' || !/^multipart\//i.test(type) || allowed(req)) return done();
    done(httpError('multipart/form-data is not accepted here; send JSON', 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 415));
  });
  fastify.addHook('preValidation', async (req) => {
    if (!allowed(req) || !req.isMultipart()) return;
    const body: Record<string, string | Buffer> = {};
    try {
      for await (const part of req.parts()) {
        body[part.fieldname] = part.type === 'file' ? await part.toBuffer() : String(part.value);
      }
    } catch (err) {
      const e = err as { statusCode?: number; message?: string };
      if (e.statusCode && e.statusCode < 500) throw err; // the plugin's own limits (413, 400)
      throw httpError(
        `malformed multipart body: ${e.message ?? 'unreadable'}`,
        'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
        400,
      );
    }
    req.body = body;
  });
}

function httpError(message: string, code: string, statusCode: number): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const doc = new DocumentBuilder()
    .setTitle('Reelay API')
    .setDescription(
      'One API for AI video generation. Log in (`POST /api/auth/login`) for a session JWT, or create an ' +
        'API key (`POST /api/tokens`) and send it as `Authorization: Bearer sk-…`. Every error has the shape ' +
        '`{ "error": { "code", "message", "details" }, "request_id" }`; lists take `?page=&page_size=` (max 100).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key `sk-…`' }, 'api-token')
    .build();
  return SwaggerModule.createDocument(app, doc);
}
