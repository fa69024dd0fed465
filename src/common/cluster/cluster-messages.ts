import type { MetricObjectWithValues, MetricValue } from 'prom-client';

// What Reelay's primary and its workers say to each other over the cluster's IPC channel.

export type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

export type ClusterMessage =
  // worker → primary: it is serving (after listen).
  | { type: 'reelay:ready' }
  // worker → primary: a scrape arrived; `own` is this worker's part, read after its collectors ran.
  | { type: 'reelay:metrics:scrape'; id: number; own: MetricsJson }
  // primary → every other worker: send your part.
  | { type: 'reelay:metrics:collect'; id: number }
  // worker → primary: its part.
  | { type: 'reelay:metrics:part'; id: number; metrics: MetricsJson }
  // primary → the scraping worker: the sum over all workers, as Prometheus text.
  | { type: 'reelay:metrics:text'; id: number; text: string | null; error?: string };

export function isClusterMessage<T extends ClusterMessage['type']>(
  message: unknown,
  type: T,
): message is Extract<ClusterMessage, { type: T }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
