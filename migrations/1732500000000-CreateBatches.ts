import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, idColumn, longText, varchar } from './helpers';

// The batch engine's state lives in the database: batches, their items (one hold each), each
// user's concurrency share and recent outcomes, and an event log the progress stream reads.
export class CreateBatches1732500000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'batches',
        columns: [
          idColumn(qr),
          varchar('public_id', 40),
          bigint('user_id', { unsigned: true }),
          varchar('status', 16),
          { name: 'total', type: 'int' },
          longText(qr, 'defaults'),
          bigint('fast_lane_done_at_ms', { isNullable: true }),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('finished_at', { isNullable: true }),
        ],
        uniques: [{ name: 'uq_batches_public_id', columnNames: ['public_id'] }],
        indices: [{ name: 'idx_batches_user', columnNames: ['user_id', 'created_at'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'batch_items',
        columns: [
          idColumn(qr),
          bigint('batch_id', { unsigned: true }),
          bigint('user_id', { unsigned: true }),
          { name: 'idx', type: 'int' },
          { name: 'prompt', type: 'text', isNullable: false },
          varchar('model', 64),
          varchar('resolution', 16),
          { name: 'duration', type: 'int' },
          varchar('aspect_ratio', 16),
          varchar('image_url', 2048, { isNullable: true }),
          { name: 'lane_rank', type: 'int' },
          varchar('status', 16),
          { name: 'attempts', type: 'int', default: 0 },
          bigint('next_attempt_at_ms', { isNullable: true }),
          varchar('lease_owner', 64, { isNullable: true }),
          bigint('lease_until_ms', { isNullable: true }),
          varchar('task_id', 64, { isNullable: true }),
          bigint('quota'),
          varchar('last_error', 255, { isNullable: true }),
          bigint('created_at'),
          bigint('updated_at_ms'),
          bigint('started_at_ms', { isNullable: true }),
          bigint('finished_at_ms', { isNullable: true }),
        ],
        uniques: [{ name: 'uq_batch_items_idx', columnNames: ['batch_id', 'idx'] }],
        indices: [
          { name: 'idx_batch_items_user_status', columnNames: ['user_id', 'status', 'lane_rank'] },
          { name: 'idx_batch_items_status', columnNames: ['status', 'next_attempt_at_ms'] },
          { name: 'idx_batch_items_task', columnNames: ['task_id'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'batch_user_state',
        columns: [
          bigint('user_id', { unsigned: true, isPrimary: true }),
          { name: 'factor_pct', type: 'int', default: 100 },
          varchar('recent', 64, { default: "''" }),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'batch_events',
        columns: [
          idColumn(qr),
          bigint('batch_id', { unsigned: true }),
          { name: 'item_idx', type: 'int', isNullable: true },
          varchar('status', 16),
          varchar('detail', 255, { isNullable: true }),
          bigint('created_at_ms'),
        ],
        indices: [{ name: 'idx_batch_events_batch', columnNames: ['batch_id', 'id'] }],
      }),
    );
    // Polling schedule and timeout by class (the batch engine's 720p / 1080p).
    await qr.addColumn(
      'videos',
      new TableColumn({ name: 'poll_class', type: 'varchar', length: '16', isNullable: true }),
    );
    // 'batch': the batch item holds the money across attempts, so the task itself moves none.
    await qr.addColumn(
      'videos',
      new TableColumn({ name: 'billed_by', type: 'varchar', length: '16', isNullable: true }),
    );
    await qr.addColumn('channels', new TableColumn({ name: 'webhook_key_encrypted', type: 'text', isNullable: true }));
    await qr.createIndex('videos', new TableIndex({ name: 'idx_videos_upstream', columnNames: ['upstream_task_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('videos', 'idx_videos_upstream');
    await qr.dropColumn('channels', 'webhook_key_encrypted');
    await qr.dropColumn('videos', 'billed_by');
    await qr.dropColumn('videos', 'poll_class');
    await qr.dropTable('batch_events');
    await qr.dropTable('batch_user_state');
    await qr.dropTable('batch_items');
    await qr.dropTable('batches');
  }
}
