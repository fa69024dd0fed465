import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const ALERT_KINDS = ['user_quota_high', 'total_quota_high', 'master_refill_needed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

@Entity('alerts')
export class Alert {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: AlertKind;

  @Column({ type: 'varchar', length: 128 })
  subject!: string;

  @Column({ type: 'varchar', length: 255 })
  message!: string;

  @Column({ type: 'text', nullable: true })
  details!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'delivered_at', nullable: true }))
  deliveredAt!: number | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(bigintColumn({ name: 'next_attempt_at_ms', nullable: true }))
  nextAttemptAtMs!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;
}

@Entity('alert_states')
export class AlertState {
  @PrimaryColumn({ name: 'state_key', type: 'varchar', length: 128 })
  key!: string;

  @Column({ type: 'int' })
  active!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
