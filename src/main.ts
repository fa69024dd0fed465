import 'reflect-metadata';
import cluster from 'node:cluster';
import pino from 'pino';
import { runPrimary } from './common/cluster/cluster-primary';
import { errSerializer } from './common/logging/logger.options';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';

// Before the app's own logger exists, failures are still one JSON line each (synchronous, so a
// line written just before exiting is not lost).
const bootLog = pino(
  { base: { pid: process.pid }, serializers: { err: errSerializer } },
  pino.destination({ sync: true }),
);

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      bootLog.fatal(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  // Loaded only where the app runs: the primary never loads it.
  const { startServer } = await import('./start-server');
  await startServer(config, bootLog);
}

main().catch((err: unknown) => {
  bootLog.fatal({ err }, 'Reelay failed to start');
  process.exit(1);
});
