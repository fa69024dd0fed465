import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

// pending → stored | failed; any of them → deleting (retention, owner's delete) → row gone.
export const COPY_STATUSES = ['pending', 'stored', 'failed', 'deleting'] as const;
export type CopyStatus = (typeof COPY_STATUSES)[number];

// Reelay's copy of one finished video: the copy job's state, then the stored object.
@Entity('media_copies')
export class MediaCopy {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'task_id', type: 'varchar', length: 200 })
  taskId!: string;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ name: 'source_url', type: 'varchar', length: 2048 })
  sourceUrl!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: CopyStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column(bigintColumn({ name: 'next_attempt_at_ms', nullable: true }))
  nextAttemptAtMs!: number | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(bigintColumn({ name: 'lease_until_ms', nullable: true }))
  leaseUntilMs!: number | null;

  @Column({ name: 'object_key', type: 'varchar', length: 512, nullable: true })
  objectKey!: string | null;

  @Column({ name: 'content_type', type: 'varchar', length: 64, nullable: true })
  contentType!: string | null;

  @Column(bigintColumn({ name: 'size_bytes', nullable: true }))
  sizeBytes!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ name: 'store_error', type: 'varchar', length: 512, nullable: true })
  storeError!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;

  @Column(bigintColumn({ name: 'stored_at', nullable: true }))
  storedAt!: number | null;
}
