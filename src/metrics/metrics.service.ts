import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { answerMetricRequests, scrapeCluster } from '../common/cluster/cluster-metrics';
import { Db } from '../common/database/db.service';
import { AppConfig } from '../config/app-config';
import { defineFamilies, Families } from './metric-families';
import {
  BATCH_ITEM_STATUSES,
  BatchItemStatus,
  CappedLabel,
  HTTP_METHODS,
  oneOf,
  Plan,
  PLANS,
  Provider,
  PROVIDERS,
  statusLabel,
} from './metric-labels';

export type TaskSubmitOutcome = 'accepted' | 'rejected' | 'unavailable';
export type TaskOutcome = 'succeeded' | 'failed';
export type SettledBy = 'callback' | 'poll' | 'refresh' | 'timeout' | 'submit';
export type CallbackOutcome = 'accepted' | 'duplicate' | 'rejected';
export type PollVia = 'list' | 'query';
export type UpstreamOperation = 'submit' | 'query' | 'list' | 'account' | 'download';
export type UpstreamErrorKind =
  'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'auth' | 'rate_limited' | 'rejected' | 'other';
export type BatchItemOutcome = 'succeeded' | 'failed' | 'cancelled';
export type WebhookOutcome = 'delivered' | 'retry' | 'failed';
export type MediaCopyOutcome = 'stored' | 'retry' | 'failed';
export type CreditMovement = 'held' | 'captured' | 'released';

const TASK_SUBMIT_OUTCOMES: TaskSubmitOutcome[] = ['accepted', 'rejected', 'unavailable'];
const TASK_OUTCOMES: TaskOutcome[] = ['succeeded', 'failed'];
const SETTLED_BY: SettledBy[] = ['callback', 'poll', 'refresh', 'timeout', 'submit'];
const CALLBACK_OUTCOMES: CallbackOutcome[] = ['accepted', 'duplicate', 'rejected'];
const POLL_VIA: PollVia[] = ['list', 'query'];
const OPERATIONS: UpstreamOperation[] = ['submit', 'query', 'list', 'account', 'download'];
const ERROR_KINDS: UpstreamErrorKind[] = [
  'timeout',
  'network',
  'http_4xx',
  'http_5xx',
  'auth',
  'rate_limited',
  'rejected',
  'other',
];
const ITEM_OUTCOMES: BatchItemOutcome[] = ['succeeded', 'failed', 'cancelled'];
const WEBHOOK_OUTCOMES: WebhookOutcome[] = ['delivered', 'retry', 'failed'];
const MEDIA_OUTCOMES: MediaCopyOutcome[] = ['stored', 'retry', 'failed'];
const MOVEMENTS: CreditMovement[] = ['held', 'captured', 'released'];

// The Prometheus text format prom-client writes (Registry#contentType).
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// Distinct model names and channel ids a process reports before the rest become `other`.
export const MAX_MODELS = 64;
export const MAX_CHANNELS = 128;

// Reelay's Prometheus metrics: one registry per application (tests run several in one process),
// the process defaults, and typed methods with bounded labels for the modules that report. Feature
// modules import MetricsModule and call these methods; none of them touches prom-client.
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();
  // In a worker (WORKERS > 1): answers the primary when another worker is scraped.
  private readonly stopAnswering: (() => void) | null;
  private readonly models = new CappedLabel(MAX_MODELS);
  private readonly channels = new CappedLabel(MAX_CHANNELS);
  private readonly collectors = new Set<() => void | Promise<void>>();
  private readonly m: Families;

  constructor(
    private readonly config: AppConfig,
    db: Db,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.m = defineFamilies(this.registry, db);
    this.stopAnswering = config.workerId === null ? null : answerMetricRequests(this.registry);
  }

  onModuleDestroy(): void {
    this.stopAnswering?.();
  }

  // The text a scrape returns, after every collector has refreshed its gauges.
  async render(): Promise<string> {
    // A collector that fails leaves its gauges as they were; the scrape still answers.
    await Promise.allSettled([...this.collectors].map(async (c) => c()));
    // With workers: the sum over all of them (see cluster-metrics.ts).
    return this.config.workerId === null ? this.registry.metrics() : scrapeCluster(this.registry);
  }

  // Runs `collect` before each scrape (to set gauges from the database); returns an unsubscribe.
  onCollect(collect: () => void | Promise<void>): () => void {
    this.collectors.add(collect);
    return () => this.collectors.delete(collect);
  }

  // route: the matched route's template (Fastify routeOptions.url), never the raw URL.
  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.m.httpDuration.observe(
      { method: oneOf(HTTP_METHODS, method), route: route ?? 'unmatched', status: statusLabel(status) },
      seconds,
    );
  }

  taskCreated(e: { provider: Provider; model: string; outcome: TaskSubmitOutcome }): void {
    this.m.tasksCreated.inc({
      provider: oneOf(PROVIDERS, e.provider),
      model: this.models.value(e.model),
      outcome: oneOf(TASK_SUBMIT_OUTCOMES, e.outcome),
    });
  }

  // Once per task, in the code that made it terminal; durationSeconds: from creation to the end.
  taskFinished(e: {
    provider: Provider;
    model: string;
    outcome: TaskOutcome;
    settledBy: SettledBy;
    durationSeconds?: number;
  }): void {
    const provider = oneOf(PROVIDERS, e.provider);
    const model = this.models.value(e.model);
    const outcome = oneOf(TASK_OUTCOMES, e.outcome);
    this.m.tasksFinished.inc({ provider, model, outcome, settled_by: oneOf(SETTLED_BY, e.settledBy) });
    if (e.durationSeconds !== undefined && e.durationSeconds >= 0) {
      this.m.taskDuration.observe({ provider, model, outcome }, e.durationSeconds);
    }
  }

  callbackReceived(e: { provider: Provider; outcome: CallbackOutcome }): void {
    this.m.callbacks.inc({ provider: oneOf(PROVIDERS, e.provider), outcome: oneOf(CALLBACK_OUTCOMES, e.outcome) });
  }

  // How late a poll ran after the task was due (now − next poll time), in seconds.
  pollLag(provider: Provider, seconds: number): void {
    this.m.pollLag.observe({ provider: oneOf(PROVIDERS, provider) }, Math.max(0, seconds));
  }

  // One due task polled: answered from a task list page (`list`) or by its own query (`query`).
  polled(provider: Provider, via: PollVia): void {
    this.m.polls.inc({ provider: oneOf(PROVIDERS, provider), via: oneOf(POLL_VIA, via) });
  }

  // One task list page read by the poller's list sweep.
  pollListPage(provider: Provider): void {
    this.m.pollListPages.inc({ provider: oneOf(PROVIDERS, provider) });
  }

  setTasksInFlight(provider: Provider, count: number): void {
    this.m.tasksInFlight.set({ provider: oneOf(PROVIDERS, provider) }, count);
  }

  // One upstream HTTP call; `error` absent means it answered as expected.
  upstreamCall(e: {
    provider: Provider;
    channelId: number;
    operation: UpstreamOperation;
    seconds: number;
    error?: UpstreamErrorKind;
  }): void {
    const labels = {
      provider: oneOf(PROVIDERS, e.provider),
      channel: this.channels.value(e.channelId),
      operation: oneOf(OPERATIONS, e.operation),
    };
    this.m.upstreamDuration.observe({ ...labels, outcome: e.error ? 'error' : 'ok' }, e.seconds);
    if (e.error) this.m.upstreamErrors.inc({ ...labels, kind: oneOf(ERROR_KINDS, e.error) });
  }

  setBatchItems(status: BatchItemStatus, count: number): void {
    this.m.batchItems.set({ status: oneOf(BATCH_ITEM_STATUSES, status) }, count);
  }

  batchItemFinished(outcome: BatchItemOutcome): void {
    this.m.batchItemsFinished.inc({ outcome: oneOf(ITEM_OUTCOMES, outcome) });
  }

  // The engine's view per plan: items in flight now, and the concurrency limit in force.
  setBatchRunning(plan: Plan, count: number): void {
    this.m.batchRunning.set({ plan: oneOf(PLANS, plan) }, count);
  }

  setBatchConcurrencyLimit(plan: Plan, limit: number): void {
    this.m.batchLimit.set({ plan: oneOf(PLANS, plan) }, limit);
  }

  webhookDelivery(e: { outcome: WebhookOutcome; seconds?: number }): void {
    const outcome = oneOf(WEBHOOK_OUTCOMES, e.outcome);
    this.m.webhooks.inc({ outcome });
    if (e.seconds !== undefined) this.m.webhookDuration.observe({ outcome }, e.seconds);
  }

  mediaCopy(e: { outcome: MediaCopyOutcome; bytes?: number; seconds?: number }): void {
    const outcome = oneOf(MEDIA_OUTCOMES, e.outcome);
    this.m.mediaCopies.inc({ outcome });
    if (e.bytes !== undefined && e.bytes > 0) this.m.mediaBytes.inc(e.bytes);
    if (e.seconds !== undefined) this.m.mediaDuration.observe({ outcome }, e.seconds);
  }

  // Money in quota units (what the ledger holds); exported in credits.
  credits(e: { movement: CreditMovement; provider: Provider; quota: number }): void {
    if (!(e.quota > 0)) return;
    this.m.credits.inc(
      { movement: oneOf(MOVEMENTS, e.movement), provider: oneOf(PROVIDERS, e.provider) },
      e.quota / this.config.quotaPerCredit,
    );
  }
}
