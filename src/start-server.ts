import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from './app.setup';
import { reportServing } from './common/cluster/cluster-primary';
import { listenOptions } from './common/cluster/worker-listen';
import { startupWarnings } from './common/logging/startup-checks';
import { AppConfig } from './config/app-config';

// The application in this process: the only process (WORKERS=1), or one of the primary's workers.
export async function startServer(config: AppConfig, bootLog: PinoLogger): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    {
      ...NEST_APP_OPTIONS,
      // Nest's own start-up messages (and failures) as JSON until the pino logger takes over.
      logger: new ConsoleLogger({ json: true }),
      abortOnError: false,
    },
  );
  // SIGTERM closes the app (streams are told to reconnect first); whatever still hangs after
  // SHUTDOWN_TIMEOUT_MS does not keep the process alive.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        bootLog.error({ signal, timeout_ms: config.shutdownTimeoutMs }, 'shutdown took too long; exiting');
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    });
  }
  await configureApp(app, config);
  await app.listen(listenOptions(config));
  const logger = app.get(Logger);
  // With workers, the primary says these once.
  if (config.workerId === null) for (const warning of startupWarnings(config)) logger.warn(warning);
  logger.log(`listening on http://${config.host}:${config.port} (public address ${config.serverAddress})`);
  reportServing(config);
}
