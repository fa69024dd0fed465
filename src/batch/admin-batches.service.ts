import { Injectable } from '@nestjs/common';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AdminBatchDetailDto, AdminBatchDto, AdminBatchQueryDto } from './batch.dto';
import { BatchRepository } from './batch.repository';
import { BatchService } from './batch.service';

const TIMELINE_MAX = 1000;

// Operators' read of every user's batches: the owner's view plus who owns it and its timeline.
@Injectable()
export class AdminBatchesService {
  constructor(
    private readonly batches: BatchRepository,
    private readonly service: BatchService,
  ) {}

  async list(admin: AuthUser, q: AdminBatchQueryDto): Promise<Page<AdminBatchDto>> {
    assertAdmin(admin);
    const page = toPageRequest(q);
    const [rows, total] = await this.batches.listAll({ userId: q.user_id, status: q.status }, page);
    const out: AdminBatchDto[] = [];
    for (const b of rows)
      out.push({ ...this.service.summaryOf(b, await this.batches.itemsOf(b.id)), user_id: b.userId });
    return pageOf(out, total, page, (x) => x);
  }

  async detail(admin: AuthUser, publicId: string): Promise<AdminBatchDetailDto> {
    assertAdmin(admin);
    const b = await this.batches.findAny(publicId);
    if (!b) throw DomainError.notFound('Batch');
    const events = await this.batches.eventsAfter(b.id, 0, TIMELINE_MAX);
    return {
      ...(await this.service.detailOf(b)),
      user_id: b.userId,
      timeline: events.map((e) => ({
        id: e.id,
        at_ms: e.createdAtMs,
        item_idx: e.itemIdx,
        status: e.status,
        detail: e.detail,
      })),
    };
  }
}
