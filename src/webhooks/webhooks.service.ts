import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { OutboundGuard } from '../common/outbound/outbound-guard.service';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { DeliveryView, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { EndpointPatch, WebhookEndpointRepository } from './webhook-endpoint.repository';
import { eventsOf, WebhookOutbox } from './webhook-outbox.service';
import { WebhookSigner } from './webhook-signer';
import { WEBHOOK_EVENT_TYPES, WebhookEndpoint } from './webhook.entity';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  UpdateWebhookDto,
  toDeliveryDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
  WebhookSecretDto,
} from './webhooks.dto';

const MAX_ENDPOINTS = 20;

// Users' webhook endpoints, their deliveries, and the default secret that signs per-task
// callback URLs. Every method takes the acting user and sees only that user's rows.
@Injectable()
export class WebhooksService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly outbox: WebhookOutbox,
    private readonly signer: WebhookSigner,
    private readonly guard: OutboundGuard,
    private readonly crypto: CryptoService,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.checkReceiver('url', dto.url);
    if ((await this.endpoints.countOwned(user.id)) >= MAX_ENDPOINTS)
      throw new DomainError(ErrorCode.Unprocessable, `At most ${MAX_ENDPOINTS} webhook endpoints per user`);
    const secret = this.signer.newSecret();
    const e = await this.endpoints.create(
      {
        publicId: `we_${this.crypto.randomString(24)}`,
        userId: user.id,
        url: dto.url,
        description: dto.description ?? null,
        events: (dto.events ?? [...WEBHOOK_EVENT_TYPES]).join(','),
        enabled: dto.enabled ?? true,
        secretEncrypted: this.signer.seal(secret),
      },
      this.clock.now(),
    );
    return { ...toDto(e), secret };
  }

  async list(user: AuthUser, q: PageQueryDto): Promise<Page<WebhookEndpointDto>> {
    const page = toPageRequest(q);
    const [rows, total] = await this.endpoints.listOwned(user.id, page);
    return pageOf(rows, total, page, toDto);
  }

  async get(user: AuthUser, id: string): Promise<WebhookEndpointDto> {
    return toDto(await this.owned(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpointDto> {
    const e = await this.owned(user, id);
    if (dto.url !== undefined) await this.checkReceiver('url', dto.url);
    const patch: EndpointPatch = {};
    if (dto.url !== undefined) patch.url = dto.url;
    if (dto.events !== undefined) patch.events = dto.events.join(',');
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.enabled !== undefined) {
      patch.enabled = dto.enabled;
      // Turned back on: a fresh start, whatever disabled it.
      if (dto.enabled) Object.assign(patch, { disabledReason: null, failingSinceMs: null });
    }
    await this.endpoints.update(e.id, patch, this.clock.now());
    return this.get(user, id);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.endpoints.remove((await this.owned(user, id)).id);
  }

  async rotateSecret(user: AuthUser, id: string): Promise<WebhookSecretDto> {
    const e = await this.owned(user, id);
    const secret = this.signer.newSecret();
    await this.endpoints.update(e.id, { secretEncrypted: this.signer.seal(secret) }, this.clock.now());
    return { secret };
  }

  // Queues a `webhook.test` event to the endpoint; its delivery shows in the deliveries list.
  async test(user: AuthUser, id: string): Promise<WebhookDeliveryDto> {
    const e = await this.owned(user, id);
    // Read in its own transaction: the delivery as queued, before a dispatcher can take it.
    const queued = await this.db.tx(async (em) =>
      this.deliveries.findOwned(user.id, await this.outbox.enqueueTest(em, e), em),
    );
    return toDeliveryDto(queued as DeliveryView);
  }

  async listDeliveries(user: AuthUser, id: string, q: PageQueryDto): Promise<Page<WebhookDeliveryDto>> {
    const e = await this.owned(user, id);
    const page = toPageRequest(q);
    const [rows, total] = await this.deliveries.listForEndpoint(user.id, e.id, page);
    return pageOf(rows, total, page, toDeliveryDto);
  }

  // Sends a delivery again: same event id, a fresh round of attempts.
  async redeliver(user: AuthUser, deliveryId: string): Promise<WebhookDeliveryDto> {
    const d = await this.deliveries.findOwned(user.id, deliveryId);
    if (!d) throw DomainError.notFound('Delivery');
    await this.deliveries.requeue(d.id, this.clock.nowMs());
    return toDeliveryDto((await this.deliveries.findOwned(user.id, deliveryId)) as DeliveryView);
  }

  // The secret that signs the user's per-task callback URLs (created on first use).
  async callbackSecret(user: AuthUser): Promise<WebhookSecretDto> {
    const stored = await this.endpoints.ensureSecret(
      undefined,
      user.id,
      this.signer.seal(this.signer.newSecret()),
      this.clock.now(),
    );
    return { secret: this.signer.unseal(stored.secretEncrypted) };
  }

  async rotateCallbackSecret(user: AuthUser): Promise<WebhookSecretDto> {
    const secret = this.signer.newSecret();
    const sealed = this.signer.seal(secret);
    await this.endpoints.ensureSecret(undefined, user.id, sealed, this.clock.now());
    await this.endpoints.replaceSecret(user.id, sealed, this.clock.now());
    return { secret };
  }

  // For the Kling-compatible routes: a client's `callback_url` must be http(s) and reach no
  // private address (400 naming callback_url otherwise).
  async checkCallbackUrl(url: string): Promise<void> {
    await this.checkReceiver('callback_url', url);
  }

  // The outbound guard's rule for where a receiver may be (http(s), no credentials, no private
  // address unless allow-listed). Receivers keep their query (a token of the client's own),
  // which the guard's check for configured base URLs would refuse, so it sees the URL without.
  private async checkReceiver(field: string, raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw DomainError.validation(field, 'must be an absolute http(s) URL');
    }
    url.search = '';
    url.hash = '';
    await this.guard.checkUrl(field, url.toString());
  }

  private async owned(user: AuthUser, id: string): Promise<WebhookEndpoint> {
    const e = await this.endpoints.findOwned(user.id, id);
    if (!e) throw DomainError.notFound('Webhook endpoint');
    return e;
  }
}

function toDto(e: WebhookEndpoint): WebhookEndpointDto {
  return {
    id: e.publicId,
    url: e.url,
    events: eventsOf(e),
    enabled: Boolean(e.enabled),
    description: e.description,
    disabled_reason: e.disabledReason,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}
