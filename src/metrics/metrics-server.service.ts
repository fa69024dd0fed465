import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from '../common/errors/error-response';
import { AppConfig } from '../config/app-config';
import { MetricsAccess } from './metrics-access.service';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.service';

// METRICS_PORT: /metrics on a listener of its own (reachable by Prometheus inside the cluster,
// never published by the ingress). Plain node:http: one route, GET only, nothing to parse; a second
// web framework instance would add weight and nothing else.
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;

  constructor(
    private readonly access: MetricsAccess,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MetricsServer.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metricsPort;
    if (port === null) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.info({ port }, 'metrics listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return this.fail(res, Object.assign(new Error('Not found'), { statusCode: 404 }));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.fail(res, Object.assign(new Error('Method not allowed'), { statusCode: 405 }));
    }
    try {
      const body = await this.access.scrape(req.headers.authorization);
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      this.fail(res, err);
    }
  }

  // The API's one error shape here too.
  private fail(res: ServerResponse, err: unknown): void {
    const { status, body } = toErrorResponse(err, randomUUID());
    if (status >= 500) this.logger.error({ err }, 'metrics scrape failed');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}
