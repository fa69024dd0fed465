import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const WEBHOOK_EVENT_TYPES = ['video.completed', 'video.failed', 'batch.completed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
// What a delivery carries: a Reelay event envelope, or a task's Kling-shaped callback body.
export const DELIVERY_KINDS = [...WEBHOOK_EVENT_TYPES, 'kling.callback', 'webhook.test'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

// A client's receiver: where events go, which ones, and the secret they are signed with.
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'public_id', type: 'varchar', length: 40 })
  publicId!: string;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  // Comma-separated event types.
  @Column({ type: 'varchar', length: 255 })
  events!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ name: 'disabled_reason', type: 'varchar', length: 255, nullable: true })
  disabledReason!: string | null;

  // When the current run of failed deliveries began; null after any success.
  @Column(bigintColumn({ name: 'failing_since_ms', nullable: true }))
  failingSinceMs!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}

// The user's default signing secret, used for per-task callback URLs (created on first use).
@Entity('webhook_secrets')
export class WebhookSecret {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', transformer: bigintNumber })
  userId!: number;

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}

// One thing that happened, with the body every delivery of it sends. `public_id` is the
// stable id receivers dedupe on; `dedupe_key` makes recording the same thing twice a no-op.
@Entity('webhook_events')
export class WebhookEvent {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'public_id', type: 'varchar', length: 40 })
  publicId!: string;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 32 })
  type!: DeliveryKind;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 255 })
  dedupeKey!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;
}

// The outbox: one row per event and target (an endpoint, or the task's callback URL).
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'public_id', type: 'varchar', length: 40 })
  publicId!: string;

  @Column(bigintColumn({ name: 'event_id' }))
  eventId!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column(bigintColumn({ name: 'endpoint_id', nullable: true }))
  endpointId!: number | null;

  // The endpoint's public id, or 'callback' for a task's callback URL.
  @Column({ type: 'varchar', length: 40 })
  target!: string;

  // Set for callback deliveries; endpoint deliveries use the endpoint's current URL.
  @Column({ type: 'varchar', length: 2048, nullable: true })
  url!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(bigintColumn({ name: 'next_attempt_at_ms', nullable: true }))
  nextAttemptAtMs!: number | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(bigintColumn({ name: 'lease_until_ms', nullable: true }))
  leaseUntilMs!: number | null;

  @Column({ name: 'last_status', type: 'int', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @Column(bigintColumn({ name: 'delivered_at_ms', nullable: true }))
  deliveredAtMs!: number | null;

  @Column(bigintColumn({ name: 'created_at_ms' }))
  createdAtMs!: number;

  @Column(bigintColumn({ name: 'updated_at_ms' }))
  updatedAtMs!: number;
}
