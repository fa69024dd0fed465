import { Injectable } from '@nestjs/common';
import { EntityManager, In, IsNull } from 'typeorm';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { WebhookEndpoint, WebhookSecret } from './webhook.entity';

export type NewEndpoint = Pick<
  WebhookEndpoint,
  'publicId' | 'userId' | 'url' | 'description' | 'events' | 'enabled' | 'secretEncrypted'
>;
export type EndpointPatch = Partial<
  Pick<WebhookEndpoint, 'url' | 'description' | 'events' | 'enabled' | 'secretEncrypted' | 'disabledReason'>
> & { failingSinceMs?: number | null };

// Queries on webhook_endpoints and webhook_secrets; every read of a user's rows takes the user.
@Injectable()
export class WebhookEndpointRepository extends DbRepository {
  constructor(db: Db) {
    super(db);
  }

  async create(e: NewEndpoint, now: number): Promise<WebhookEndpoint> {
    return this.db.run((em) =>
      em.save(
        em.create(WebhookEndpoint, {
          ...e,
          disabledReason: null,
          failingSinceMs: null,
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
  }

  findOwned(userId: number, publicId: string): Promise<WebhookEndpoint | null> {
    return this.db.run((em) => em.findOneBy(WebhookEndpoint, { userId, publicId }));
  }

  listOwned(userId: number, page: PageRequest): Promise<[WebhookEndpoint[], number]> {
    return this.db.run((em) =>
      em.findAndCount(WebhookEndpoint, {
        where: { userId },
        order: { id: 'DESC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  countOwned(userId: number): Promise<number> {
    return this.db.run((em) => em.countBy(WebhookEndpoint, { userId }));
  }

  async update(id: number, patch: EndpointPatch, now: number): Promise<void> {
    await this.db.run((em) => em.update(WebhookEndpoint, { id }, { ...patch, updatedAt: now }));
  }

  async remove(id: number): Promise<void> {
    await this.db.run((em) => em.delete(WebhookEndpoint, { id }));
  }

  // In the terminal transaction: the user's enabled endpoints (filtered by event type by the caller).
  // Read in every task's ending transaction: plain SQL, most users having none.
  async enabledOf(em: EntityManager, userId: number): Promise<WebhookEndpoint[]> {
    const rows = await this.db.rows<Record<string, unknown>>(em, `${ENABLED} = ? ${ENABLED_ORDER}`, [userId]);
    return rows.map(endpointOf);
  }

  // The same for several users in one read, by user, sent with the transaction's next statement
  // (Db.rowsAhead: the lock on the tasks whose ends will read them).
  async enabledOfUsersAhead(em: EntityManager, userIds: readonly number[]): Promise<Map<number, WebhookEndpoint[]>> {
    const sql = `${ENABLED} IN (${userIds.map(() => '?').join(', ')}) ${ENABLED_ORDER}`;
    const rows = await this.db.rowsAhead<Record<string, unknown>>(em, sql, userIds);
    const byUser = new Map<number, WebhookEndpoint[]>(userIds.map((u) => [u, []]));
    for (const e of rows.map(endpointOf)) byUser.get(e.userId)?.push(e);
    return byUser;
  }

  byIds(ids: number[]): Promise<WebhookEndpoint[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.run((em) => em.find(WebhookEndpoint, { where: { id: In(ids) } }));
  }

  // A delivery got a 2xx: the endpoint is healthy again.
  async clearFailing(id: number): Promise<void> {
    await this.db.run((em) =>
      em
        .createQueryBuilder()
        .update(WebhookEndpoint)
        .set({ failingSinceMs: null })
        .where('id = :id AND failing_since_ms IS NOT NULL', { id })
        .execute(),
    );
  }

  // A delivery failed: start the failing run if none is open; returns when it began.
  async markFailing(id: number, nowMs: number): Promise<number> {
    await this.db.run((em) => em.update(WebhookEndpoint, { id, failingSinceMs: IsNull() }, { failingSinceMs: nowMs }));
    const e = await this.db.run((em) => em.findOneBy(WebhookEndpoint, { id }));
    return e?.failingSinceMs ?? nowMs;
  }

  async disable(id: number, reason: string, now: number): Promise<boolean> {
    const res = await this.db.run((em) =>
      em.update(WebhookEndpoint, { id, enabled: true }, { enabled: false, disabledReason: reason, updatedAt: now }),
    );
    return (res.affected ?? 0) > 0;
  }

  // ---- the user's default secret (per-task callback URLs)

  findSecret(m: EntityManager | undefined, userId: number): Promise<WebhookSecret | null> {
    return this.use(m, (em) => em.findOneBy(WebhookSecret, { userId }));
  }

  // Creates the user's secret unless one exists (racing creators: the first one wins).
  async ensureSecret(
    m: EntityManager | undefined,
    userId: number,
    sealed: string,
    now: number,
  ): Promise<WebhookSecret> {
    return this.use(m, async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(WebhookSecret)
        .values({ userId, secretEncrypted: sealed, createdAt: now, updatedAt: now })
        .orIgnore()
        .execute();
      return (await em.findOneBy(WebhookSecret, { userId })) as WebhookSecret;
    });
  }

  async replaceSecret(userId: number, sealed: string, now: number): Promise<void> {
    await this.db.run((em) => em.update(WebhookSecret, { userId }, { secretEncrypted: sealed, updatedAt: now }));
  }
}

// Enabled endpoints of a user (`= ?`) or of several (`IN (…)`), in creation order.
const ENABLED =
  'SELECT `id`, `public_id` AS `publicId`, `user_id` AS `userId`, `url`, `description`, `events`, ' +
  '`secret_encrypted` AS `secretEncrypted`, `disabled_reason` AS `disabledReason`, ' +
  '`failing_since_ms` AS `failingSinceMs`, `created_at` AS `createdAt`, `updated_at` AS `updatedAt` ' +
  'FROM `webhook_endpoints` WHERE `enabled` = 1 AND `user_id`';
const ENABLED_ORDER = 'ORDER BY `id` ASC';

function endpointOf(r: Record<string, unknown>): WebhookEndpoint {
  return Object.assign(new WebhookEndpoint(), r, {
    id: Number(r.id),
    userId: Number(r.userId),
    enabled: true,
    failingSinceMs: r.failingSinceMs === null ? null : Number(r.failingSinceMs),
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  });
}
