import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { bigint, idColumn, longText, varchar } from './helpers';

// Seed 003's packages (price in fen, credits in quota units at the configured rate).
const quotaPerCredit = (): number => Number(process.env.QUOTA_PER_CREDIT || 1000);
export const SEED_PACKAGES = [
  { code: 'basic', name: 'Basic', price_fen: 4900, credits: 50, grants_plan: 'pro', sort: 1 },
  { code: 'pro', name: 'Pro', price_fen: 9900, credits: 150, grants_plan: 'pro_plus', sort: 2 },
  { code: 'enterprise', name: 'Enterprise', price_fen: 29900, credits: 500, grants_plan: 'enterprise', sort: 3 },
];

export class CreatePaymentsQuotas1732400000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'packages',
        columns: [
          idColumn(qr),
          varchar('code', 32),
          varchar('name', 100),
          { name: 'price_fen', type: 'int' },
          bigint('credits'),
          varchar('grants_plan', 32, { isNullable: true }),
          varchar('status', 16, { default: "'active'" }),
          { name: 'sort', type: 'int', default: 0 },
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_packages_code', columnNames: ['code'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'payment_orders',
        columns: [
          idColumn(qr),
          varchar('out_trade_no', 64),
          bigint('user_id', { unsigned: true }),
          bigint('package_id', { unsigned: true }),
          { name: 'amount_fen', type: 'int' },
          bigint('credits'),
          varchar('grants_plan', 32, { isNullable: true }),
          varchar('status', 16),
          varchar('trade_no', 64, { isNullable: true }),
          bigint('paid_at', { isNullable: true }),
          bigint('next_check_at', { isNullable: true }),
          { name: 'check_count', type: 'int', default: 0 },
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_orders_out_trade_no', columnNames: ['out_trade_no'] }],
        indices: [
          { name: 'idx_orders_user', columnNames: ['user_id', 'created_at'] },
          { name: 'idx_orders_check', columnNames: ['status', 'next_check_at'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'provider_quotas',
        columns: [
          idColumn(qr),
          bigint('user_id', { unsigned: true }),
          varchar('provider', 32),
          bigint('quota', { default: 0 }),
          bigint('used', { default: 0 }),
          { name: 'api_key_encrypted', type: 'text', isNullable: true },
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_provider_quotas_user', columnNames: ['user_id', 'provider'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'alerts',
        columns: [
          idColumn(qr),
          varchar('kind', 32),
          varchar('subject', 128),
          varchar('message', 255),
          longText(qr, 'details'),
          bigint('created_at'),
          bigint('delivered_at', { isNullable: true }),
          { name: 'attempts', type: 'int', default: 0 },
          bigint('next_attempt_at_ms', { isNullable: true }),
          varchar('last_error', 255, { isNullable: true }),
        ],
        indices: [
          { name: 'idx_alerts_created', columnNames: ['created_at'] },
          { name: 'idx_alerts_delivery', columnNames: ['delivered_at', 'next_attempt_at_ms'] },
        ],
      }),
    );
    // One row per watched threshold: an alert fires when it becomes active, and only again
    // after it has gone back below.
    await qr.createTable(
      new Table({
        name: 'alert_states',
        columns: [
          varchar('state_key', 128, { isPrimary: true }),
          { name: 'active', type: 'int', default: 0 },
          bigint('updated_at'),
        ],
      }),
    );
    await qr.addColumn(
      'api_tokens',
      new TableColumn({ name: 'scope', type: 'varchar', length: '32', default: "'all'" }),
    );
    const now = Math.floor(Date.now() / 1000);
    for (const p of SEED_PACKAGES) {
      await qr.query(
        'INSERT INTO packages (code, name, price_fen, credits, grants_plan, status, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [p.code, p.name, p.price_fen, p.credits * quotaPerCredit(), p.grants_plan, 'active', p.sort, now, now],
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('api_tokens', 'scope');
    await qr.dropTable('alert_states');
    await qr.dropTable('alerts');
    await qr.dropTable('provider_quotas');
    await qr.dropTable('payment_orders');
    await qr.dropTable('packages');
  }
}
