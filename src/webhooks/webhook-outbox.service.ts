import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { NewDelivery, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import {
  BatchSnapshot,
  batchEventData,
  envelope,
  klingCallbackBody,
  TaskSnapshot,
  videoEventData,
} from './webhook-payloads';
import { WebhookSigner } from './webhook-signer';
import { DeliveryKind, WebhookEndpoint, WebhookEventType } from './webhook.entity';

export const CALLBACK_TARGET = 'callback';

// The entry points the relay core (and the batch engine) call INSIDE the transaction that ends
// a task (or a batch): they write the event and one delivery row per target there, so an event
// exists exactly when the outcome does, and a process dying right after the commit loses
// nothing (a dispatcher on any replica sends it). Each is keyed by what happened (type + task
// or batch id): calling it again adds nothing and the event keeps its one stable id.
@Injectable()
export class WebhookOutbox {
  private readonly readInTx = new WeakMap<EntityManager, Map<number, Promise<WebhookEndpoint[]>>>();

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly signer: WebhookSigner,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  // video.completed (status succeed) or video.failed, to the user's endpoints subscribed to it.
  // Returns the event id, or null when no endpoint wants it (nothing is written then).
  enqueueTaskEvent(
    em: EntityManager,
    task: TaskSnapshot,
    type: 'video.completed' | 'video.failed',
  ): Promise<string | null> {
    return this.toEndpoints(em, task.userId, type, `${type}:${task.taskId}`, videoEventData(task));
  }

  // batch.completed when a batch has finished (completed or cancelled).
  enqueueBatchEvent(em: EntityManager, batch: BatchSnapshot): Promise<string | null> {
    return this.toEndpoints(
      em,
      batch.userId,
      'batch.completed',
      `batch.completed:${batch.publicId}`,
      batchEventData(batch),
    );
  }

  // The task's own callback URL (sent on a Kling-compatible route), called with Kling's callback
  // body and signed with the user's default secret (created here on first use).
  async enqueueKlingCallback(
    em: EntityManager,
    task: TaskSnapshot,
    callbackUrl: string,
    externalTaskId: string | null,
  ): Promise<string | null> {
    const now = this.clock.now();
    await this.endpoints.ensureSecret(em, task.userId, this.signer.seal(this.signer.newSecret()), now);
    const id = this.eventId();
    const event = await this.deliveries.insertEvent(
      em,
      {
        publicId: id,
        userId: task.userId,
        type: 'kling.callback',
        dedupeKey: `kling.callback:${task.taskId}`,
        payload: JSON.stringify(klingCallbackBody(task, externalTaskId)),
        createdAt: now,
      },
      [{ publicId: this.deliveryId(), endpointId: null, target: CALLBACK_TARGET, url: callbackUrl }],
      this.clock.nowMs(),
    );
    return event?.publicId ?? null;
  }

  // A test event for one endpoint (POST /api/webhooks/{id}/test), whatever it subscribes to.
  async enqueueTest(em: EntityManager, endpoint: WebhookEndpoint): Promise<string> {
    const id = this.eventId();
    const now = this.clock.now();
    const data = { id: `test_${this.crypto.randomString(12)}`, object: 'test', endpoint: endpoint.publicId };
    const deliveryId = this.deliveryId();
    await this.deliveries.insertEvent(
      em,
      {
        publicId: id,
        userId: endpoint.userId,
        type: 'webhook.test',
        dedupeKey: `webhook.test:${id}`,
        payload: JSON.stringify(envelope(id, 'webhook.test', now, data)),
        createdAt: now,
      },
      [{ publicId: deliveryId, endpointId: endpoint.id, target: endpoint.publicId, url: null }],
      this.clock.nowMs(),
    );
    return deliveryId;
  }

  private async toEndpoints(
    em: EntityManager,
    userId: number,
    type: WebhookEventType,
    dedupeKey: string,
    data: object,
  ): Promise<string | null> {
    const targets = (await this.enabledOf(em, userId)).filter((e) => subscribes(e, type));
    if (targets.length === 0) return null;
    const id = this.eventId();
    const now = this.clock.now();
    const rows: NewDelivery[] = targets.map((e) => ({
      publicId: this.deliveryId(),
      endpointId: e.id,
      target: e.publicId,
      url: null,
    }));
    const event = await this.deliveries.insertEvent(
      em,
      { publicId: id, userId, type, dedupeKey, payload: JSON.stringify(envelope(id, type, now, data)), createdAt: now },
      rows,
      this.clock.nowMs(),
    );
    return event?.publicId ?? null;
  }

  // The endpoints of these users, asked for in one read that goes ahead of the transaction's
  // next statement (Db.rowsAhead); enqueueTaskEvent then finds them read.
  readEndpointsAhead(em: EntityManager, userIds: readonly number[]): void {
    if (!em.queryRunner?.isTransactionActive) return;
    const memo = this.memoOf(em);
    const todo = [...new Set(userIds)].filter((u) => !memo.has(u));
    if (todo.length === 0) return;
    const read = this.endpoints.enabledOfUsersAhead(em, todo);
    for (const u of todo) {
      const mine = read.then((byUser) => byUser.get(u) ?? []);
      mine.catch(() => undefined); // a user none of whose tasks ended never asks (the caller who does hears the error)
      memo.set(u, mine);
    }
  }

  // A user's endpoints are read once per transaction: a group commit ends many of one user's
  // tasks in one. Outside a transaction (the shared manager) they are read every time.
  private enabledOf(em: EntityManager, userId: number): Promise<WebhookEndpoint[]> {
    if (!em.queryRunner?.isTransactionActive) return this.endpoints.enabledOf(em, userId);
    const memo = this.memoOf(em);
    let found = memo.get(userId);
    if (!found) memo.set(userId, (found = this.endpoints.enabledOf(em, userId)));
    return found;
  }

  private memoOf(em: EntityManager): Map<number, Promise<WebhookEndpoint[]>> {
    let memo = this.readInTx.get(em);
    if (!memo) this.readInTx.set(em, (memo = new Map<number, Promise<WebhookEndpoint[]>>()));
    return memo;
  }

  private eventId(): string {
    return `evt_${this.crypto.randomString(24)}`;
  }

  private deliveryId(): string {
    return `dlv_${this.crypto.randomString(24)}`;
  }
}

export function eventsOf(e: Pick<WebhookEndpoint, 'events'>): DeliveryKind[] {
  return e.events.split(',').filter(Boolean) as DeliveryKind[];
}

function subscribes(e: WebhookEndpoint, type: WebhookEventType): boolean {
  return eventsOf(e).includes(type);
}
