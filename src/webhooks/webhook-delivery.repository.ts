import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { claimUnderLease } from '../common/database/lease-claim';
import { PageRequest } from '../common/pagination/page.dto';
import { DeliveryKind, WebhookDelivery, WebhookEndpoint, WebhookEvent } from './webhook.entity';

export interface NewEvent {
  publicId: string;
  userId: number;
  type: DeliveryKind;
  dedupeKey: string;
  payload: string;
  createdAt: number;
}

export interface NewDelivery {
  publicId: string;
  endpointId: number | null;
  target: string;
  url: string | null;
}

export interface DeliveryView extends WebhookDelivery {
  eventPublicId: string;
  eventType: string;
  endpointUrl?: string | null; // read for admins (the endpoint's current URL)
}

export interface DeliveryFilter {
  userId?: number;
  target?: string; // an endpoint's public id, or 'callback'
  status?: string;
  eventType?: string;
}

// The outbox: events and their deliveries. Written in the caller's transaction; claimed under
// a lease by the dispatcher on any replica; every move after a claim names the lease owner.
@Injectable()
export class WebhookDeliveryRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  // Records an event and its deliveries, once per dedupe key: returns null (and adds nothing)
  // when the event was recorded before.
  async insertEvent(
    em: EntityManager,
    e: NewEvent,
    deliveries: NewDelivery[],
    nowMs: number,
  ): Promise<WebhookEvent | null> {
    await em.createQueryBuilder().insert().into(WebhookEvent).values(e).orIgnore().execute();
    const event = await em.findOneBy(WebhookEvent, { dedupeKey: e.dedupeKey });
    if (!event || event.publicId !== e.publicId) return null;
    for (const d of deliveries) await this.insertDelivery(em, event, d, nowMs);
    return event;
  }

  async insertDelivery(em: EntityManager, event: WebhookEvent, d: NewDelivery, nowMs: number): Promise<void> {
    await em.insert(WebhookDelivery, {
      ...d,
      eventId: event.id,
      userId: event.userId,
      status: 'pending',
      attempts: 0,
      nextAttemptAtMs: nowMs,
      leaseOwner: null,
      leaseUntilMs: null,
      lastStatus: null,
      lastError: null,
      deliveredAtMs: null,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    });
  }

  claimDue(owner: string, nowMs: number, limit: number, leaseMs: number): Promise<WebhookDelivery[]> {
    return claimUnderLease(
      this.db,
      {
        entity: WebhookDelivery,
        workWhere: "status = 'pending'",
        params: {},
        dueColumn: 'next_attempt_at_ms',
        countsAttempt: true,
      },
      { owner, nowMs, limit, leaseMs },
    );
  }

  eventsByIds(ids: number[]): Promise<WebhookEvent[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.run((em) => em.find(WebhookEvent, { where: { id: In(ids) } }));
  }

  // The attempt's outcome: delivered, another try at `nextAtMs`, or failed for good (null).
  async recordAttempt(
    id: number,
    owner: string,
    outcome: { delivered: boolean; status: number | null; error: string | null; nextAtMs: number | null },
    nowMs: number,
  ): Promise<boolean> {
    const res = await this.db.run((em) =>
      em.update(
        WebhookDelivery,
        { id, leaseOwner: owner, status: 'pending' },
        {
          status: outcome.delivered ? 'delivered' : outcome.nextAtMs === null ? 'failed' : 'pending',
          lastStatus: outcome.status,
          lastError: outcome.error?.slice(0, 255) ?? null,
          nextAttemptAtMs: outcome.delivered ? null : outcome.nextAtMs,
          deliveredAtMs: outcome.delivered ? nowMs : null,
          leaseOwner: null,
          leaseUntilMs: null,
          updatedAtMs: nowMs,
        },
      ),
    );
    return (res.affected ?? 0) > 0;
  }

  listForEndpoint(userId: number, endpointId: number, page: PageRequest): Promise<[DeliveryView[], number]> {
    return this.db.run(async (em) => {
      const q = em
        .createQueryBuilder(WebhookDelivery, 'd')
        .innerJoinAndMapOne('d.event', WebhookEvent, 'e', 'e.id = d.event_id')
        .where('d.user_id = :userId AND d.endpoint_id = :endpointId', { userId, endpointId })
        .orderBy('d.id', 'DESC')
        .skip((page.page - 1) * page.pageSize)
        .take(page.pageSize);
      const [rows, total] = await q.getManyAndCount();
      return [rows.map(withEvent), total];
    });
  }

  async findOwned(userId: number, publicId: string, m?: EntityManager): Promise<DeliveryView | null> {
    const row = await this.use(m, (em) =>
      em
        .createQueryBuilder(WebhookDelivery, 'd')
        .innerJoinAndMapOne('d.event', WebhookEvent, 'e', 'e.id = d.event_id')
        .where('d.user_id = :userId AND d.public_id = :publicId', { userId, publicId })
        .getOne(),
    );
    return row ? withEvent(row) : null;
  }

  // Every user's deliveries for admins, newest first, with the endpoint's current URL.
  listAll(f: DeliveryFilter, page: PageRequest): Promise<[DeliveryView[], number]> {
    return this.db.run(async (em) => {
      const q = this.adminQuery(em).orderBy('d.id', 'DESC');
      if (f.userId !== undefined) q.andWhere('d.user_id = :userId', { userId: f.userId });
      if (f.target !== undefined) q.andWhere('d.target = :target', { target: f.target });
      if (f.status !== undefined) q.andWhere('d.status = :status', { status: f.status });
      if (f.eventType !== undefined) q.andWhere('e.type = :eventType', { eventType: f.eventType });
      const [rows, total] = await q
        .skip((page.page - 1) * page.pageSize)
        .take(page.pageSize)
        .getManyAndCount();
      return [rows.map(withEvent), total];
    });
  }

  async findAny(publicId: string, m?: EntityManager): Promise<DeliveryView | null> {
    const row = await this.use(m, (em) => this.adminQuery(em).where('d.public_id = :publicId', { publicId }).getOne());
    return row ? withEvent(row) : null;
  }

  private adminQuery(em: EntityManager) {
    return em
      .createQueryBuilder(WebhookDelivery, 'd')
      .innerJoinAndMapOne('d.event', WebhookEvent, 'e', 'e.id = d.event_id')
      .leftJoinAndMapOne('d.endpoint', WebhookEndpoint, 'ep', 'ep.id = d.endpoint_id');
  }

  // Queues a delivery again unless it already waits, untried, for its first attempt: a replayed
  // redeliver changes nothing. False when nothing changed.
  async requeueUnlessQueued(em: EntityManager, id: number, nowMs: number): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAtMs: nowMs,
        leaseOwner: null,
        leaseUntilMs: null,
        deliveredAtMs: null,
        updatedAtMs: nowMs,
      })
      .where('id = :id', { id })
      .andWhere("NOT (status = 'pending' AND attempts = 0 AND lease_owner IS NULL)")
      .execute();
    return (res.affected ?? 0) > 0;
  }

  async deleteFinishedBefore(beforeMs: number): Promise<number> {
    const old = await this.db.run((em) =>
      em
        .createQueryBuilder(WebhookDelivery, 'd')
        .select('d.id', 'id')
        .where("d.status IN ('delivered', 'failed') AND d.created_at_ms < :beforeMs", { beforeMs })
        .limit(DELIVERY_HISTORY_BATCH)
        .getRawMany<{ id: number | string }>(),
    );
    if (old.length === 0) return 0;
    await this.db.run((em) => em.delete(WebhookDelivery, { id: In(old.map((o) => Number(o.id))) }));
    const orphans = await this.db.run((em) =>
      em
        .createQueryBuilder(WebhookEvent, 'e')
        .select('e.id', 'id')
        .leftJoin(WebhookDelivery, 'd', 'd.event_id = e.id')
        .where('d.id IS NULL AND e.created_at < :before', { before: Math.floor(beforeMs / 1000) })
        .limit(DELIVERY_HISTORY_BATCH)
        .getRawMany<{ id: number | string }>(),
    );
    if (orphans.length > 0)
      await this.db.run((em) => em.delete(WebhookEvent, { id: In(orphans.map((o) => Number(o.id))) }));
    return old.length;
  }

  // Queues a delivery again (whatever its state): same event, same webhook-id.
  async requeue(id: number, nowMs: number): Promise<void> {
    await this.db.run((em) =>
      em.update(
        WebhookDelivery,
        { id },
        {
          status: 'pending',
          attempts: 0,
          nextAttemptAtMs: nowMs,
          leaseOwner: null,
          leaseUntilMs: null,
          deliveredAtMs: null,
          updatedAtMs: nowMs,
        },
      ),
    );
  }
}

// Housekeeping: finished deliveries created before `beforeMs`, then events left with none.
export const DELIVERY_HISTORY_BATCH = 1000;

type Joined = WebhookDelivery & { event: WebhookEvent; endpoint?: WebhookEndpoint | null };

function withEvent(row: WebhookDelivery): DeliveryView {
  const { event: e, endpoint, ...rest } = row as Joined;
  const view: DeliveryView = { ...rest, eventPublicId: e.publicId, eventType: e.type };
  if (endpoint !== undefined) view.endpointUrl = endpoint?.url ?? null;
  return view;
}
