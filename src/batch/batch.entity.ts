import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const BATCH_STATUSES = ['running', 'paused', 'cancelled', 'completed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

// queued → dispatching → running → succeed | failed; a retryable submit failure goes to
// retry_wait and back to queued; cancel takes queued/retry_wait items to cancelled.
export const ITEM_STATUSES = [
  'queued',
  'dispatching',
  'running',
  'retry_wait',
  'succeed',
  'failed',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const ITEM_DONE: ItemStatus[] = ['succeed', 'failed', 'cancelled'];

@Entity('batches')
export class Batch {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'public_id', type: 'varchar', length: 40 })
  publicId!: string;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: BatchStatus;

  @Column({ type: 'int' })
  total!: number;

  @Column({ type: 'text', nullable: true })
  defaults!: string | null;

  @Column(bigintColumn({ name: 'fast_lane_done_at_ms', nullable: true }))
  fastLaneDoneAtMs!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;

  @Column(bigintColumn({ name: 'finished_at', nullable: true }))
  finishedAt!: number | null;

  // The API key that paid (its spending caps count the batch), if a key made the batch.
  @Column(bigintColumn({ name: 'token_id', nullable: true }))
  tokenId!: number | null;
}

@Entity('batch_items')
export class BatchItem {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'batch_id' }))
  batchId!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'int' })
  idx!: number;

  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'varchar', length: 64 })
  model!: string;

  @Column({ type: 'varchar', length: 16 })
  resolution!: string;

  @Column({ type: 'int' })
  duration!: number;

  @Column({ name: 'aspect_ratio', type: 'varchar', length: 16 })
  aspectRatio!: string;

  @Column({ name: 'image_url', type: 'varchar', length: 2048, nullable: true })
  imageUrl!: string | null;

  @Column({ name: 'lane_rank', type: 'int' })
  laneRank!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ItemStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(bigintColumn({ name: 'next_attempt_at_ms', nullable: true }))
  nextAttemptAtMs!: number | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(bigintColumn({ name: 'lease_until_ms', nullable: true }))
  leaseUntilMs!: number | null;

  @Column({ name: 'task_id', type: 'varchar', length: 64, nullable: true })
  taskId!: string | null;

  @Column(bigintColumn())
  quota!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at_ms' }))
  updatedAtMs!: number;

  @Column(bigintColumn({ name: 'started_at_ms', nullable: true }))
  startedAtMs!: number | null;

  @Column(bigintColumn({ name: 'finished_at_ms', nullable: true }))
  finishedAtMs!: number | null;
}

@Entity('batch_user_state')
export class BatchUserState {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', transformer: bigintNumber })
  userId!: number;

  // The user's concurrency share (100 normal, 60 degraded, climbing back in steps).
  @Column({ name: 'factor_pct', type: 'int' })
  factorPct!: number;

  // The last attempt outcomes, newest last: '1' ok, '0' failed.
  @Column({ type: 'varchar', length: 64 })
  recent!: string;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}

@Entity('batch_events')
export class BatchEvent {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'batch_id' }))
  batchId!: number;

  @Column({ name: 'item_idx', type: 'int', nullable: true })
  itemIdx!: number | null;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  detail!: string | null;

  @Column(bigintColumn({ name: 'created_at_ms' }))
  createdAtMs!: number;
}
