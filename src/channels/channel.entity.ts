import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const CHANNEL_TYPES = ['kling', 'kie', 'viva'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const CHANNEL_STATUSES = ['enabled', 'disabled', 'auto_disabled'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

@Entity('channels')
export class Channel {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ChannelType;

  @Column({ name: 'base_url', type: 'varchar', length: 255 })
  baseUrl!: string;

  // AES-256-GCM under a key derived from APP_SECRET; never leaves the service.
  @Column({ name: 'key_encrypted', type: 'text' })
  keyEncrypted!: string;

  @Column({ name: 'key_hint', type: 'varchar', length: 64 })
  keyHint!: string;

  // JSON array of the Reelay model names this channel serves.
  @Column({ type: 'text' })
  models!: string;

  // JSON object: Reelay model name → the upstream's model name.
  @Column({ name: 'model_mapping', type: 'text', nullable: true })
  modelMapping!: string | null;

  @Column({ type: 'int' })
  priority!: number;

  @Column({ type: 'int' })
  weight!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ChannelStatus;

  // KIE's optional webhook HMAC key (encrypted), to verify its callback signatures.
  @Column({ name: 'webhook_key_encrypted', type: 'text', nullable: true })
  webhookKeyEncrypted!: string | null;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 255, nullable: true })
  disabledReason!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
