import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, idColumn, longText, varchar } from './helpers';

// Channels, the relay's polling and lease columns on videos, and idempotency records.
export class CreateRelay1732300000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'channels',
        columns: [
          idColumn(qr),
          varchar('name', 100),
          varchar('type', 16),
          varchar('base_url', 255),
          { name: 'key_encrypted', type: 'text', isNullable: false },
          varchar('key_hint', 64),
          longText(qr, 'models', { isNullable: false }),
          longText(qr, 'model_mapping'),
          { name: 'priority', type: 'int', default: 0 },
          { name: 'weight', type: 'int', default: 1 },
          varchar('status', 16, { default: "'enabled'" }),
          varchar('disabled_reason', 255, { isNullable: true }),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [{ name: 'idx_channels_status', columnNames: ['status', 'priority'] }],
      }),
    );
    // Scheduling columns are in milliseconds so tests can compress time; everything else stays
    // in seconds.
    await qr.addColumns('videos', [
      new TableColumn({ name: 'next_poll_at_ms', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'lease_owner', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'lease_until_ms', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'poll_count', type: 'int', default: 0 }),
      new TableColumn({ name: 'finished_at', type: 'bigint', isNullable: true }),
    ]);
    await qr.createIndex('videos', new TableIndex({ name: 'idx_videos_next_poll', columnNames: ['next_poll_at_ms'] }));
    await qr.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          idColumn(qr),
          bigint('user_id', { unsigned: true }),
          varchar('idem_key', 128),
          varchar('scope', 64),
          varchar('request_hash', 64),
          varchar('state', 16),
          { name: 'response_status', type: 'int', isNullable: true },
          longText(qr, 'response_body'),
          bigint('created_at'),
          bigint('expires_at'),
        ],
        uniques: [{ name: 'uq_idempotency_user_key', columnNames: ['user_id', 'idem_key'] }],
        indices: [{ name: 'idx_idempotency_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('idempotency_keys');
    await qr.dropIndex('videos', 'idx_videos_next_poll');
    for (const c of ['finished_at', 'poll_count', 'lease_until_ms', 'lease_owner', 'next_poll_at_ms']) {
      await qr.dropColumn('videos', c);
    }
    await qr.dropTable('channels');
  }
}
