import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

// Paths that belong to the API surfaces. An unknown path under them stays a JSON 404 from the
// app's error filter; every other GET without a file extension is a console deep link.
export const API_PREFIXES = ['/api', '/docs', '/docs-json', '/kling', '/kie', '/health', '/v1', '/media', '/metrics'];

const IMMUTABLE = 'public, max-age=31536000, immutable';

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0];
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

// The console (web/dist, built by `npm run build`) at `/`, by the same process: hashed assets
// cached forever, index.html never cached, deep links answered with index.html (the SPA routes).
// Without a build the API runs as before and `/` is a 404.
export async function serveConsole(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const root = config.consoleDir;
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(root, 'index.html'))) {
    // Logged once the app is up (the logger is not ready while the HTTP layer is being set up).
    fastify.addHook('onReady', (done) => {
      app.get(Logger).warn(`No console build in ${root}: run \`npm run build\` to serve the console at /`);
      done();
    });
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false, // one route per built file; the catch-all below handles the rest
    index: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      void res.header('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache');
    },
  });
  const spa = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    if (isApiPath(path) || /\.[A-Za-z0-9]+$/.test(path)) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  fastify.get('/', spa);
  fastify.get('/*', spa);
}
