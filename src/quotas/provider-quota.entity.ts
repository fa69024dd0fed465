import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

// Seed 003's user_viva_api_keys: what a user bought of a provider and used of it (quota units).
@Entity('provider_quotas')
export class ProviderQuota {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column(bigintColumn())
  quota!: number;

  @Column(bigintColumn())
  used!: number;

  // A dedicated upstream key (enterprise), encrypted; null means the channel's master key.
  @Column({ name: 'api_key_encrypted', type: 'text', nullable: true })
  apiKeyEncrypted!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
