import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { DeliveryView, WebhookDeliveryRepository } from './webhook-delivery.repository';
import { AdminDeliveryQueryDto, AdminWebhookDeliveryDto, toAdminDeliveryDto } from './webhooks.dto';

// Operators' view of every user's webhook deliveries, and redelivery on a user's behalf (audited).
@Injectable()
export class WebhookAdminService {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly audit: AuditService,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(admin: AuthUser, q: AdminDeliveryQueryDto): Promise<Page<AdminWebhookDeliveryDto>> {
    assertAdmin(admin);
    const page = toPageRequest(q);
    const [rows, total] = await this.deliveries.listAll(
      { userId: q.user_id, target: q.endpoint_id, status: q.status, eventType: q.event_type },
      page,
    );
    return pageOf(rows, total, page, toAdminDeliveryDto);
  }

  // Same event id, a fresh round of attempts. A delivery already queued and untried stays as it
  // is and writes no audit row, so a replayed request changes nothing.
  async redeliver(admin: AuthUser, publicId: string): Promise<AdminWebhookDeliveryDto> {
    assertAdmin(admin);
    const after = await this.db.tx(async (em) => {
      const before = await this.deliveries.findAny(publicId, em);
      if (!before) throw DomainError.notFound('Delivery');
      if (!(await this.deliveries.requeueUnlessQueued(em, before.id, this.clock.nowMs()))) return before;
      const now = (await this.deliveries.findAny(publicId, em)) as DeliveryView;
      await this.audit.record(em, admin, {
        action: 'webhook_delivery.redeliver',
        target: { type: 'webhook_delivery', id: publicId },
        before: toAdminDeliveryDto(before),
        after: toAdminDeliveryDto(now),
      });
      return now;
    });
    return toAdminDeliveryDto(after);
  }
}
