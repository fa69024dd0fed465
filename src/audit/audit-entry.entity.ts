import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const ACTOR_TYPES = ['user', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

// One row of the audit trail. Rows are only ever inserted: no code path updates or deletes them.
@Entity('audit_log')
export class AuditEntry {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  // 'user': a logged-in user (actor_id); 'system': one of Reelay's own jobs (actor_label names
  // it); 'anonymous': a request without a session (a login attempt).
  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: ActorType;

  @Column(bigintColumn({ name: 'actor_id', nullable: true }))
  actorId!: number | null;

  // The user's email at the time, or the job's name.
  @Column({ name: 'actor_label', type: 'varchar', length: 254, nullable: true })
  actorLabel!: string | null;

  // What happened, as <target>.<verb>: channel.update, credits.adjust, auth.lockout, …
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 128, nullable: true })
  targetId!: string | null;

  // JSON snapshots with every secret masked (see maskSecrets).
  @Column({ name: 'before_json', type: 'text', nullable: true })
  beforeJson!: string | null;

  @Column({ name: 'after_json', type: 'text', nullable: true })
  afterJson!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;
}
