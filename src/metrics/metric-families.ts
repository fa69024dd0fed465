import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Db, PoolStats } from '../common/database/db.service';

// Every Reelay metric family: names, help, label names and buckets, in one place. Only Metrics
// (metrics.service.ts) touches them.

const seconds = {
  http: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  upstream: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  task: [15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600, 7200],
  lag: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
  delivery: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  copy: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
};

type Factory = ReturnType<typeof factory>;

function factory(registry: Registry) {
  const registers = [registry];
  return {
    counter: <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers }),
    gauge: <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers }),
    // Read from the database, so every worker holds the same value: with WORKERS > 1 a scrape
    // reports it once (the scraping worker's), not summed over the workers.
    sharedGauge: <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Gauge<L>({ name, help, labelNames, registers, aggregator: 'first' }),
    histogram: <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
      new Histogram<L>({ name, help, labelNames, buckets, registers }),
    // Read at scrape time.
    collected: (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      }),
  };
}

export type Families = ReturnType<typeof defineFamilies>;

export function defineFamilies(registry: Registry, db: Db) {
  const f = factory(registry);
  definePoolGauges(f, () => db.poolStats());
  return {
    httpDuration: f.histogram(
      'reelay_http_request_duration_seconds',
      'HTTP requests by method, route template and status',
      ['method', 'route', 'status'],
      seconds.http,
    ),
    ...taskFamilies(f),
    ...batchFamilies(f),
    ...deliveryFamilies(f),
  };
}

// The database connections (SQLite: its one connection and the queue behind it).
function definePoolGauges(f: Factory, stats: () => PoolStats): void {
  f.collected(
    'reelay_db_connections_in_use',
    'Database connections running a query or transaction',
    () => stats().inUse,
  );
  f.collected('reelay_db_connections_idle', 'Open database connections waiting for work', () => stats().idle);
  f.collected('reelay_db_connections_waiting', 'Callers waiting for a database connection', () => stats().waiting);
  f.collected('reelay_db_connections_max', 'Most database connections this process opens', () => stats().max);
}

function taskFamilies(f: Factory) {
  return {
    tasksCreated: f.counter('reelay_tasks_created_total', 'Video tasks submitted upstream, by outcome', [
      'provider',
      'model',
      'outcome',
    ]),
    tasksFinished: f.counter('reelay_tasks_finished_total', 'Video tasks that reached a final state, and how', [
      'provider',
      'model',
      'outcome',
      'settled_by',
    ]),
    taskDuration: f.histogram(
      'reelay_task_duration_seconds',
      'Time from submit to the final state',
      ['provider', 'model', 'outcome'],
      seconds.task,
    ),
    callbacks: f.counter('reelay_callbacks_total', 'Upstream callbacks received', ['provider', 'outcome']),
    pollLag: f.histogram('reelay_poll_lag_seconds', 'How late a due poll ran', ['provider'], seconds.lag),
    polls: f.counter('reelay_polls_total', 'Due tasks polled, by how the upstream answered', ['provider', 'via']),
    pollListPages: f.counter('reelay_poll_list_pages_total', 'Task list pages the poller read', ['provider']),
    tasksInFlight: f.sharedGauge('reelay_tasks_in_flight', 'Tasks submitted and not finished', ['provider']),
    upstreamDuration: f.histogram(
      'reelay_upstream_request_duration_seconds',
      'Upstream provider calls',
      ['provider', 'channel', 'operation', 'outcome'],
      seconds.upstream,
    ),
    upstreamErrors: f.counter('reelay_upstream_errors_total', 'Failed upstream provider calls, by kind', [
      'provider',
      'channel',
      'operation',
      'kind',
    ]),
  };
}

function batchFamilies(f: Factory) {
  return {
    batchItems: f.sharedGauge('reelay_batch_items', 'Batch items by status', ['status']),
    batchItemsFinished: f.counter('reelay_batch_items_finished_total', 'Batch items that ended', ['outcome']),
    batchRunning: f.sharedGauge('reelay_batch_running_items', 'Batch items in flight, by plan', ['plan']),
    batchLimit: f.sharedGauge('reelay_batch_concurrency_limit', 'Batch concurrency limit in force, by plan', ['plan']),
  };
}

function deliveryFamilies(f: Factory) {
  return {
    webhooks: f.counter('reelay_webhook_deliveries_total', 'Webhook delivery attempts', ['outcome']),
    webhookDuration: f.histogram(
      'reelay_webhook_delivery_duration_seconds',
      'Webhook delivery attempts',
      ['outcome'],
      seconds.delivery,
    ),
    mediaCopies: f.counter('reelay_media_copies_total', 'Result videos copied to Reelay storage', ['outcome']),
    mediaBytes: f.counter('reelay_media_copy_bytes_total', 'Bytes of result videos stored', []),
    mediaDuration: f.histogram('reelay_media_copy_duration_seconds', 'Result video copies', ['outcome'], seconds.copy),
    credits: f.counter('reelay_credits_total', 'Credits held, captured and released', ['movement', 'provider']),
  };
}
