import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';
import { ChannelType } from '../providers/channel-types';

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

  // Whether the re-check job may re-enable this channel once its key works again (after an
  // auto-disable only; a channel an admin disabled stays disabled).
  @Column({ name: 'auto_reenable', type: 'boolean' })
  autoReenable!: boolean;

  // When an auto-disabled channel is next due for its re-check (ms; claiming a check moves it on).
  @Column(bigintColumn({ name: 'recheck_at_ms', nullable: true }))
  recheckAtMs!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
