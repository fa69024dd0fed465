import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, varchar } from './helpers';

// The videos table as seed 000 first shipped it: task_id is the primary key, plus idx_tid.
// The next migration converts it to the dual-key layout; this one exists so installations
// that still have the old table are converted by the same code path.
export const singleKeyVideosTable = (name = 'videos'): Table =>
  new Table({
    name,
    columns: [
      varchar('task_id', 200, { isPrimary: true }),
      varchar('video_id', 200, { isNullable: true }),
      bigint('user_id', { unsigned: true }),
      bigint('channel_id', { unsigned: true, isNullable: true }),
      varchar('model', 64),
      varchar('provider', 32),
      varchar('type', 32),
      varchar('status', 32),
      bigint('quota', { default: 0 }),
      { name: 'prompt', type: 'text', isNullable: true },
      varchar('duration', 16, { isNullable: true }),
      varchar('store_url', 2048, { isNullable: true }),
      { name: 'fail_reason', type: 'text', isNullable: true },
      bigint('created_at'),
    ],
    indices: [{ name: 'idx_tid', columnNames: ['task_id'] }],
  });

export class CreateVideosSingleKey1732100002000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(singleKeyVideosTable());
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('videos');
  }
}
