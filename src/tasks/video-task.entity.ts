import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

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

  @Column(bigintColumn({ name: 'finished_at', nullable: true }))
  finishedAt!: number | null;

  // Polling schedule and timeout class (batch items: '720p' / '1080p'); null: the defaults.
  @Column({ name: 'poll_class', type: 'varchar', length: 16, nullable: true })
  pollClass!: string | null;

  // 'batch' when a batch item holds the money for this task (across its attempts).
  @Column({ name: 'billed_by', type: 'varchar', length: 16, nullable: true })
  billedBy!: string | null;
}
