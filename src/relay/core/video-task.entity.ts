import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../../common/database/columns';

// One row per video task in the dual-key `videos` table (seed 002): `id` orders rows,
// `task_id` is the public id callers and callbacks use.
@Entity('videos')
export class VideoTask {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'task_id', type: 'varchar', length: 200 })
  taskId!: string;

  @Column({ name: 'video_id', type: 'varchar', length: 200, nullable: true })
  videoId!: string | null;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column(bigintColumn({ name: 'channel_id', nullable: true }))
  channelId!: number | null;

  @Column({ type: 'varchar', length: 64 })
  model!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: string;

  @Column({ type: 'varchar', length: 32 })
  status!: string;

  @Column(bigintColumn())
  quota!: number;

  @Column({ type: 'text', nullable: true })
  prompt!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  duration!: string | null;

  @Column({ name: 'store_url', type: 'varchar', length: 2048, nullable: true })
  storeUrl!: string | null;

  @Column({ name: 'fail_reason', type: 'text', nullable: true })
  failReason!: string | null;

  @Column({ name: 'upstream_task_id', type: 'varchar', length: 128, nullable: true })
  upstreamTaskId!: string | null;

  @Column({ name: 'request_kind', type: 'varchar', length: 32, nullable: true })
  requestKind!: string | null;

  @Column({ name: 'request_params', type: 'text', nullable: true })
  requestParams!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;

  // When the poller should next ask the upstream (ms); null once the task is finished.
  @Column(bigintColumn({ name: 'next_poll_at_ms', nullable: true }))
  nextPollAtMs!: number | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(bigintColumn({ name: 'lease_until_ms', nullable: true }))
  leaseUntilMs!: number | null;

  @Column({ name: 'poll_count', type: 'int' })
  pollCount!: number;

  // The interval (ms) its next poll was scheduled at: the poller's lane, for claiming the most
  // overdue tasks relative to their intervals first.
  @Column({ name: 'poll_interval_ms', type: 'int', default: 0 })
  pollIntervalMs!: number;

  @Column(bigintColumn({ name: 'finished_at', nullable: true }))
  finishedAt!: number | null;

  // When the task was first seen processing (unix s); null if it never was (or before #15).
  @Column(bigintColumn({ name: 'processing_at', nullable: true }))
  processingAt!: number | null;

  // Who the task belongs to and settles its end ('direct': the task holds its own money;
  // 'batch': a batch item does), and the owner's own reference (the batch item id).
  @Column({ type: 'varchar', length: 16 })
  owner!: string;

  @Column({ name: 'owner_ref', type: 'varchar', length: 64, nullable: true })
  ownerRef!: string | null;

  // Resolved at submit by the owner: how often to poll by age ("age:interval,…" in ms) and when
  // the task is failed as timed out (ms since the epoch).
  @Column({ name: 'poll_schedule', type: 'varchar', length: 255 })
  pollSchedule!: string;

  @Column(bigintColumn({ name: 'deadline_at_ms' }))
  deadlineAtMs!: number;

  // The API that made the task ('kling', 'kling-native', 'openai', 'veo'; null: a batch item), and
  // what a Kling-protocol client sent with it: its own task id and its callback URL.
  @Column({ type: 'varchar', length: 16, nullable: true })
  api!: string | null;

  @Column({ name: 'client_ref', type: 'varchar', length: 128, nullable: true })
  clientRef!: string | null;

  @Column({ name: 'client_callback_url', type: 'varchar', length: 2048, nullable: true })
  clientCallbackUrl!: string | null;

  // The API key that paid (its spending caps count the task), if a key made the task.
  @Column(bigintColumn({ name: 'token_id', nullable: true }))
  tokenId!: number | null;

  // How the task ended (TaskEndedBy); null while it runs, and for tasks ended before #14.
  @Column({ name: 'ended_by', type: 'varchar', length: 16, nullable: true })
  endedBy!: string | null;
}
