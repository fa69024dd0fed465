import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import { runBounded } from '../common/jobs/run-bounded';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { SendResult, WebhookSender } from './webhook-sender';
import { WebhookSigner } from './webhook-signer';
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entity';

export interface DispatchRound {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

const CLAIM_BATCH = 100;

// Sends due deliveries: claimed under a lease (several replicas share them, a dead one's come
// back when its lease ends), signed per attempt, 2xx = delivered, anything else retried on
// WEBHOOK_RETRY_SCHEDULE_MS and then failed. At least once: a receiver dedupes on webhook-id.
// An endpoint whose every delivery failed for WEBHOOK_DISABLE_AFTER_MS is disabled, with why.
@Injectable()
export class WebhookDispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly signer: WebhookSigner,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(WebhookDispatcher.name);
  }

  async runDue(): Promise<DispatchRound> {
    const round: DispatchRound = { claimed: 0, delivered: 0, retrying: 0, failed: 0 };
    const leaseMs = this.config.webhooks.timeoutMs * 2 + 5_000;
    for (;;) {
      const batch = await this.deliveries.claimDue(this.owner, this.clock.nowMs(), CLAIM_BATCH, leaseMs);
      if (batch.length === 0) break;
      round.claimed += batch.length;
      const events = new Map(
        (await this.deliveries.eventsByIds(unique(batch.map((d) => d.eventId)))).map((e) => [e.id, e]),
      );
      const endpointIds = unique(batch.map((d) => d.endpointId).filter((id): id is number => id !== null));
      const endpoints = new Map((await this.endpoints.byIds(endpointIds)).map((e) => [e.id, e]));
      await runBounded(batch, this.config.webhooks.concurrency, async (d) => {
        const endpoint = d.endpointId === null ? null : (endpoints.get(d.endpointId) ?? 'gone');
        const started = performance.now();
        const outcome = await this.deliver(d, events.get(d.eventId) as WebhookEvent, endpoint).catch((err: unknown) => {
          this.logger.error({ delivery: d.publicId, err }, 'webhook delivery failed unexpectedly');
          return 'retrying' as const;
        });
        round[outcome]++;
        this.metrics.webhookDelivery({
          outcome: outcome === 'retrying' ? 'retry' : outcome,
          seconds: (performance.now() - started) / 1000,
        });
      });
      if (batch.length < CLAIM_BATCH) break;
    }
    if (round.claimed > 0) this.logger.debug(round, 'webhook round done');
    return round;
  }

  private async deliver(
    d: WebhookDelivery,
    event: WebhookEvent,
    endpoint: WebhookEndpoint | null | 'gone',
  ): Promise<'delivered' | 'retrying' | 'failed'> {
    if (endpoint === 'gone' || (endpoint && !endpoint.enabled)) {
      const why = endpoint === 'gone' ? 'The endpoint was deleted' : 'The endpoint is disabled';
      await this.record(d, { status: null, error: why }, null);
      return 'failed';
    }
    const secret = await this.secretFor(d, endpoint);
    const headers = this.signer.sign(event.publicId, this.clock.now(), event.payload, secret);
    const url = endpoint ? endpoint.url : (d.url as string);
    const result = await this.sender.post(url, event.payload, { ...headers });
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (ok) {
      await this.record(d, result, null, true);
      if (endpoint?.failingSinceMs) await this.endpoints.clearFailing(endpoint.id);
      return 'delivered';
    }
    const waits = this.config.webhooks.retryScheduleMs;
    const nextAt = d.attempts > waits.length ? null : this.clock.nowMs() + waits[d.attempts - 1];
    await this.record(d, result, nextAt);
    if (endpoint) await this.noteFailure(endpoint, result);
    return nextAt === null ? 'failed' : 'retrying';
  }

  private async record(d: WebhookDelivery, r: SendResult, nextAtMs: number | null, delivered = false): Promise<void> {
    await this.deliveries.recordAttempt(
      d.id,
      this.owner,
      { delivered, status: r.status, error: r.error, nextAtMs },
      this.clock.nowMs(),
    );
  }

  private async secretFor(d: WebhookDelivery, endpoint: WebhookEndpoint | null): Promise<string> {
    if (endpoint) return this.signer.unseal(endpoint.secretEncrypted);
    const stored =
      (await this.endpoints.findSecret(undefined, d.userId)) ??
      (await this.endpoints.ensureSecret(
        undefined,
        d.userId,
        this.signer.seal(this.signer.newSecret()),
        this.clock.now(),
      ));
    return this.signer.unseal(stored.secretEncrypted);
  }

  // Disables an endpoint whose deliveries have all failed for WEBHOOK_DISABLE_AFTER_MS.
  private async noteFailure(endpoint: WebhookEndpoint, r: SendResult): Promise<void> {
    const nowMs = this.clock.nowMs();
    const since = await this.endpoints.markFailing(endpoint.id, nowMs);
    const window = this.config.webhooks.disableAfterMs;
    if (nowMs - since < window) return;
    const reason = `Disabled after every delivery failed for ${describe(window)} (last: ${r.error ?? 'no answer'})`;
    if (await this.endpoints.disable(endpoint.id, reason.slice(0, 255), this.clock.now()))
      this.logger.warn({ endpoint: endpoint.publicId, reason }, 'webhook endpoint disabled');
  }
}

function describe(ms: number): string {
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
