import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { bigint, varchar } from './helpers';

// #14: a key may carry a spending cap per UTC day and per UTC month (quota units); what each key
// has spent per period is a counter raised with the hold, in the same transaction, so concurrent
// submits can never pass the cap; tasks and batches remember the key that paid.
export class SpendCaps1732900000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('api_tokens', [
      new TableColumn(bigint('quota_per_day', { isNullable: true })),
      new TableColumn(bigint('quota_per_month', { isNullable: true })),
    ]);
    await qr.createTable(
      new Table({
        name: 'api_token_spend',
        columns: [
          bigint('token_id', { unsigned: true, isPrimary: true }),
          { ...varchar('period', 16), isPrimary: true },
          bigint('quota', { default: 0 }),
        ],
      }),
    );
    await qr.addColumn('videos', new TableColumn(bigint('token_id', { unsigned: true, isNullable: true })));
    await qr.addColumn('batches', new TableColumn(bigint('token_id', { unsigned: true, isNullable: true })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('batches', 'token_id');
    await qr.dropColumn('videos', 'token_id');
    await qr.dropTable('api_token_spend');
    await qr.dropColumns('api_tokens', ['quota_per_month', 'quota_per_day']);
  }
}
