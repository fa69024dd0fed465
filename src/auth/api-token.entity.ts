import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export type ApiTokenStatus = 'active' | 'revoked';
export type ApiTokenScope = 'all' | 'video';

@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  // sha256 of the full key; the key itself is shown once and never stored.
  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash!: string;

  @Column({ name: 'key_prefix', type: 'varchar', length: 16 })
  keyPrefix!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ApiTokenStatus;

  // 'all', or 'video': a key that may only generate and read videos.
  @Column({ type: 'varchar', length: 32 })
  scope!: ApiTokenScope;

  @Column(bigintColumn({ name: 'expires_at', nullable: true }))
  expiresAt!: number | null;

  @Column(bigintColumn({ name: 'last_used_at', nullable: true }))
  lastUsedAt!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  // Spending caps in quota units per UTC day / month (null: none); see billing/spend-caps.
  @Column(bigintColumn({ name: 'quota_per_day', nullable: true }))
  quotaPerDay!: number | null;

  @Column(bigintColumn({ name: 'quota_per_month', nullable: true }))
  quotaPerMonth!: number | null;
}
