import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { Page, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AuditActor, userActor } from './audit-actor';
import { AuditEntry } from './audit-entry.entity';
import { maskSecrets } from './audit-mask';
import { AuditEntryDto, AuditQueryDto } from './audit.dto';
import { AuditRepository } from './audit.repository';

export interface AuditTarget {
  type: string;
  id: string | number | null;
}

// What happened: the action (<target>.<verb>), its target, and the target before and after.
export interface AuditEvent {
  action: string;
  target: AuditTarget;
  before?: unknown;
  after?: unknown;
}

// The audit trail feature modules write to. A change and its row commit in one transaction
// (record with the change's EntityManager); an event that changes no row (a lockout, a key check)
// is recorded on its own. Every snapshot is masked before it is stored.
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(em: EntityManager, actor: AuthUser | AuditActor, event: AuditEvent): Promise<void> {
    return this.entries.insertEntry(this.toRow(actor, event), em);
  }

  recordAlone(actor: AuthUser | AuditActor, event: AuditEvent): Promise<void> {
    return this.entries.insertEntry(this.toRow(actor, event));
  }

  async list(admin: AuthUser, q: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    assertAdmin(admin);
    const page = toPageRequest(q);
    const [rows, total] = await this.entries.listEntries(
      {
        actorType: q.actor_type,
        actorId: q.actor_id,
        action: q.action,
        targetType: q.target_type,
        targetId: q.target_id,
        from: q.from,
        to: q.to,
      },
      page,
    );
    return pageOf(rows, total, page, toDto);
  }

  // Some actions on targets of one type within [from, to), oldest first, as the API shows them
  // (the stats read channels' auto-disables and re-enables).
  async history(targetType: string, actions: string[], from: number, to: number): Promise<AuditEntryDto[]> {
    return (await this.entries.listActions(targetType, actions, from, to)).map(toDto);
  }

  private toRow(who: AuthUser | AuditActor, e: AuditEvent): Omit<AuditEntry, 'id'> {
    const actor = 'role' in who ? userActor(who) : who;
    return {
      createdAt: this.clock.now(),
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label?.slice(0, 254) ?? null,
      action: e.action,
      targetType: e.target.type,
      targetId: e.target.id === null ? null : String(e.target.id).slice(0, 128),
      beforeJson: snapshot(e.before),
      afterJson: snapshot(e.after),
      ip: actor.ip?.slice(0, 64) ?? null,
      requestId: actor.requestId?.slice(0, 128) ?? null,
    };
  }
}

function snapshot(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(maskSecrets(value));
}

function toDto(a: AuditEntry): AuditEntryDto {
  return {
    id: a.id,
    created_at: a.createdAt,
    actor_type: a.actorType,
    actor_id: a.actorId,
    actor_label: a.actorLabel,
    action: a.action,
    target_type: a.targetType,
    target_id: a.targetId,
    before: a.beforeJson === null ? null : (JSON.parse(a.beforeJson) as unknown),
    after: a.afterJson === null ? null : (JSON.parse(a.afterJson) as unknown),
    ip: a.ip,
    request_id: a.requestId,
  };
}
