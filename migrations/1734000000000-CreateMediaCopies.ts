import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, idColumn, varchar } from './helpers';

// One row per finished video Reelay keeps a copy of (issue 12): the copy job's state (claimed
// under a lease, retried with backoff), then where the object lives, its size and SHA-256.
export class CreateMediaCopies1734000000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'media_copies',
        columns: [
          idColumn(qr),
          varchar('task_id', 200),
          bigint('user_id', { unsigned: true }),
          varchar('source_url', 2048),
          varchar('status', 16),
          { name: 'attempts', type: 'int', default: 0 },
          bigint('next_attempt_at_ms', { isNullable: true }),
          varchar('lease_owner', 64, { isNullable: true }),
          bigint('lease_until_ms', { isNullable: true }),
          varchar('object_key', 512, { isNullable: true }),
          varchar('content_type', 64, { isNullable: true }),
          bigint('size_bytes', { isNullable: true }),
          varchar('sha256', 64, { isNullable: true }),
          varchar('store_error', 512, { isNullable: true }),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('stored_at', { isNullable: true }),
        ],
        uniques: [{ name: 'uq_media_copies_task', columnNames: ['task_id'] }],
        indices: [
          { name: 'idx_media_copies_due', columnNames: ['status', 'next_attempt_at_ms'] },
          { name: 'idx_media_copies_user', columnNames: ['user_id'] },
          { name: 'idx_media_copies_created', columnNames: ['created_at'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('media_copies');
  }
}
