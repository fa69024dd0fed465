import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';
import { ClusterMessage, isClusterMessage, MetricsJson } from './cluster-messages';

// /metrics with several workers: the worker that took the scrape asks the primary, which gathers
// every worker's registry and adds them up with prom-client's AggregatorRegistry (counters and
// histograms summed; process gauges summed, start time omitted; gauges read from the database
// declare aggregator "first", and the scraping worker's part, fresh from its collectors, comes
// first). The primary itself serves no HTTP.

// Longer than a worker's event loop is ever blocked; a worker that does not answer in time (it is
// dying, or restarting) is left out of that scrape.
const PART_TIMEOUT_MS = 2_000;
const SCRAPE_TIMEOUT_MS = 5_000;

// Primary: answers workers' scrapes. Returns the function that stops answering.
export function serveClusterMetrics(): () => void {
  const pending = new Map<number, (part: MetricsJson) => void>();
  const onMessage = (worker: Worker, m: unknown) => {
    if (isClusterMessage(m, 'reelay:metrics:part')) pending.get(m.id)?.(m.metrics);
    if (isClusterMessage(m, 'reelay:metrics:scrape')) void answerScrape(worker, m, pending);
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}

async function answerScrape(
  requester: Worker,
  m: { id: number; own: MetricsJson },
  pending: Map<number, (part: MetricsJson) => void>,
): Promise<void> {
  const others = Object.values(cluster.workers ?? {}).filter(
    (w): w is Worker => w !== undefined && w !== requester && w.isConnected(),
  );
  const parts: MetricsJson[] = [m.own];
  // Scrape ids are per worker; the primary's key adds the requester's id.
  const key = requester.id * 1_000_000_000 + m.id;
  await new Promise<void>((resolve) => {
    let waiting = others.length;
    const timer = setTimeout(resolve, PART_TIMEOUT_MS);
    const finish = () => {
      clearTimeout(timer);
      resolve();
    };
    if (waiting === 0) return finish();
    pending.set(key, (part) => {
      parts.push(part);
      if (--waiting === 0) finish();
    });
    for (const w of others) send(w, { type: 'reelay:metrics:collect', id: key });
  });
  pending.delete(key);
  try {
    const text = await AggregatorRegistry.aggregate(parts).metrics();
    send(requester, { type: 'reelay:metrics:text', id: m.id, text });
  } catch (err) {
    send(requester, { type: 'reelay:metrics:text', id: m.id, text: null, error: (err as Error).message });
  }
}

function send(worker: Worker, message: ClusterMessage): void {
  if (worker.isConnected()) worker.send(message);
}

let nextScrape = 0;

// Worker: the whole cluster's metrics, as Prometheus text.
export async function scrapeCluster(registry: Registry): Promise<string> {
  const id = nextScrape++;
  const own = (await registry.getMetricsAsJSON()) as MetricsJson;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('the primary did not answer the metrics scrape')), SCRAPE_TIMEOUT_MS);
    const onMessage = (m: unknown) => {
      if (!isClusterMessage(m, 'reelay:metrics:text') || m.id !== id) return;
      done(m.text === null ? new Error(`metrics aggregation failed: ${m.error ?? 'unknown'}`) : null, m.text ?? '');
    };
    const done = (err: Error | null, text = '') => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (err) reject(err);
      else resolve(text);
    };
    process.on('message', onMessage);
    process.send?.({ type: 'reelay:metrics:scrape', id, own } satisfies ClusterMessage);
  });
}

// Worker: hands its registry to the primary when another worker is being scraped. Returns the
// function that stops.
export function answerMetricRequests(registry: Registry): () => void {
  const onMessage = (m: unknown) => {
    if (!isClusterMessage(m, 'reelay:metrics:collect')) return;
    void registry
      .getMetricsAsJSON()
      .then((metrics) => process.send?.({ type: 'reelay:metrics:part', id: m.id, metrics } satisfies ClusterMessage));
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}
