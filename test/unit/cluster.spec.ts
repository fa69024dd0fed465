import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import { listenOptions, portSharing } from '../../src/common/cluster/worker-listen';
import { restartDelayMs, RESTART_MAX_MS } from '../../src/common/cluster/worker-supervisor';
import { Db } from '../../src/common/database/db.service';
import { startupWarnings } from '../../src/common/logging/startup-checks';
import { loadConfig } from '../../src/config/load-config';
import { Metrics } from '../../src/metrics/metrics.service';

describe('WORKERS', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'reelay-cluster-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: dir, DATABASE_URL: 'mysql://u:p@db:3306/reelay', ...env });

  it('restarts a worker that keeps dying after 0.5 s, then twice as long each time, never more than 30 s apart', () => {
    expect([0, 1, 2, 3, 4].map(restartDelayMs)).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(restartDelayMs(6)).toBe(RESTART_MAX_MS);
    expect(restartDelayMs(1000)).toBe(RESTART_MAX_MS);
  });

  it('workers share the port with SO_REUSEPORT on Linux from Node 22.12 / 23.1, else through the primary', () => {
    const on = (platform: NodeJS.Platform, nodeVersion: string) => portSharing({ platform, nodeVersion });
    expect(['20.20.2', '22.11.0', '23.0.0'].map((v) => on('linux', v))).toEqual(Array(3).fill('round-robin'));
    expect(['22.12.0', '23.1.0', '24.22.3', '26.0.0'].map((v) => on('linux', v))).toEqual(Array(4).fill('reuseport'));
    expect(['darwin', 'win32', 'freebsd'].map((p) => on(p as NodeJS.Platform, '24.22.3'))).toEqual(
      Array(3).fill('round-robin'),
    );
  });

  it('listens with reusePort only as one of several workers (a lone process must fail on a taken port)', () => {
    const linux24 = { platform: 'linux' as const, nodeVersion: '24.22.3' };
    const at = { port: 3000, host: '0.0.0.0' };
    expect(listenOptions({ ...at, workerId: 2 }, linux24)).toEqual({ ...at, reusePort: true });
    expect(listenOptions({ ...at, workerId: null }, linux24)).toEqual(at);
    expect(listenOptions({ ...at, workerId: 2 }, { platform: 'linux', nodeVersion: '20.20.2' })).toEqual(at);
  });

  it('warns at start that rate limits are per worker when several run without REDIS_URL', () => {
    const warning = (env: Record<string, string>) => startupWarnings(config(env)).find((w) => w.includes('REDIS_URL'));
    expect(warning({ WORKERS: '3' })).toBe(
      'WORKERS=3 without REDIS_URL: each worker counts the rate limits on its own, so a client may get up to 3 times each limit; set REDIS_URL to share the counters',
    );
    expect(warning({ WORKERS: '3', REDIS_URL: 'redis://cache:6379' })).toBeUndefined();
    expect(warning({ WORKERS: '1' })).toBeUndefined();
  });

  it('adds up the workers’ metrics, and reports a gauge read from the database once (the scraping worker’s)', async () => {
    const db = { poolStats: () => ({ inUse: 1, idle: 19, waiting: 0, max: 20 }) } as unknown as Db;
    const [a, b] = [new Metrics(config(), db), new Metrics(config(), db)];
    a.httpRequest('GET', '/health', 200, 0.01);
    b.httpRequest('GET', '/health', 200, 0.02);
    b.httpRequest('GET', '/health', 200, 0.03);
    a.setTasksInFlight('kling', 7); // fresh: the worker that took the scrape ran its collectors
    b.setTasksInFlight('kling', 5); // as of that worker's last scrape
    const text = await AggregatorRegistry.aggregate([
      await a.registry.getMetricsAsJSON(),
      await b.registry.getMetricsAsJSON(),
    ]).metrics();
    expect(text).toContain('reelay_http_request_duration_seconds_count{method="GET",route="/health",status="200"} 3');
    expect(text).toContain('reelay_tasks_in_flight{provider="kling"} 7');
    expect(text).toContain('reelay_db_connections_max 40'); // per process: two pools of 20
    expect(text).not.toContain('process_start_time_seconds');
  });
});
