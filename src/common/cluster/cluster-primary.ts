import cluster from 'node:cluster';
import pino, { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { errSerializer } from '../logging/logger.options';
import { startupWarnings } from '../logging/startup-checks';
import { serveClusterMetrics } from './cluster-metrics';
import { portSharing } from './worker-listen';
import { WorkerSupervisor } from './worker-supervisor';

// WORKERS > 1: this process is the primary. It loads no application and serves no HTTP; it forks
// the workers (which share the port: see worker-listen.ts), restarts those that die, adds up
// their metrics, and stops them on SIGTERM/SIGINT.
export async function runPrimary(config: AppConfig): Promise<void> {
  const log = primaryLogger(config);
  for (const warning of startupWarnings(config)) log.warn(warning);
  const supervisor = new WorkerSupervisor({
    workers: config.workers,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    log,
  });
  const stopMetrics = serveClusterMetrics();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping the workers');
      void supervisor.stop().then((code) => {
        stopMetrics();
        log.info({ code }, 'all workers stopped');
        process.exit(code);
      });
    });
  }
  log.info({ workers: config.workers }, `starting ${config.workers} workers`);
  await supervisor.start();
  log.info(
    { workers: config.workers, worker_pids: supervisor.pids(), port_sharing: portSharing() },
    `listening on http://${config.host}:${config.port} with ${config.workers} workers (public address ${config.serverAddress})`,
  );
}

// Worker: tells the primary it serves (after listen). A no-op in a single process.
export function reportServing(config: AppConfig): void {
  if (config.workerId !== null && cluster.isWorker) process.send?.({ type: 'reelay:ready' });
}

// JSON lines like the workers' (synchronous: the line written just before exit is not lost).
function primaryLogger(config: AppConfig): Logger {
  return pino(
    {
      level: config.logLevel,
      serializers: { err: errSerializer },
      mixin: () => ({ context: 'ClusterPrimary' }),
    },
    pino.destination({ sync: true }),
  );
}
