import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, idColumn, longText, varchar } from './helpers';

// Webhooks to clients (issue 12): endpoints per user with their signing secret, each user's
// default secret for per-task callback URLs, events (one per thing that happened, with a
// stable id) and the delivery outbox (one row per event and target, claimed under a lease).
export class CreateWebhooks1734010000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          idColumn(qr),
          varchar('public_id', 40),
          bigint('user_id', { unsigned: true }),
          varchar('url', 2048),
          varchar('description', 255, { isNullable: true }),
          varchar('events', 255),
          { name: 'enabled', type: 'boolean', isNullable: false },
          { name: 'secret_encrypted', type: 'text', isNullable: false },
          varchar('disabled_reason', 255, { isNullable: true }),
          bigint('failing_since_ms', { isNullable: true }),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_webhook_endpoints_public_id', columnNames: ['public_id'] }],
        indices: [{ name: 'idx_webhook_endpoints_user', columnNames: ['user_id'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_secrets',
        columns: [
          bigint('user_id', { unsigned: true, isPrimary: true }),
          { name: 'secret_encrypted', type: 'text', isNullable: false },
          bigint('created_at'),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_events',
        columns: [
          idColumn(qr),
          varchar('public_id', 40),
          bigint('user_id', { unsigned: true }),
          varchar('type', 32),
          varchar('dedupe_key', 255),
          longText(qr, 'payload', { isNullable: false }),
          bigint('created_at'),
        ],
        uniques: [
          { name: 'uq_webhook_events_public_id', columnNames: ['public_id'] },
          { name: 'uq_webhook_events_dedupe', columnNames: ['dedupe_key'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          idColumn(qr),
          varchar('public_id', 40),
          bigint('event_id', { unsigned: true }),
          bigint('user_id', { unsigned: true }),
          bigint('endpoint_id', { unsigned: true, isNullable: true }),
          varchar('target', 40),
          varchar('url', 2048, { isNullable: true }),
          varchar('status', 16),
          { name: 'attempts', type: 'int', default: 0 },
          bigint('next_attempt_at_ms', { isNullable: true }),
          varchar('lease_owner', 64, { isNullable: true }),
          bigint('lease_until_ms', { isNullable: true }),
          { name: 'last_status', type: 'int', isNullable: true },
          varchar('last_error', 255, { isNullable: true }),
          bigint('delivered_at_ms', { isNullable: true }),
          bigint('created_at_ms'),
          bigint('updated_at_ms'),
        ],
        uniques: [
          { name: 'uq_webhook_deliveries_public_id', columnNames: ['public_id'] },
          { name: 'uq_webhook_deliveries_target', columnNames: ['event_id', 'target'] },
        ],
        indices: [
          { name: 'idx_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at_ms'] },
          { name: 'idx_webhook_deliveries_endpoint', columnNames: ['endpoint_id', 'id'] },
          { name: 'idx_webhook_deliveries_user', columnNames: ['user_id', 'id'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('webhook_deliveries');
    await qr.dropTable('webhook_events');
    await qr.dropTable('webhook_secrets');
    await qr.dropTable('webhook_endpoints');
  }
}
