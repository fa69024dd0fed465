import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, longText, varchar } from './helpers';

// Admin-set runtime settings (the batch engine's plan limits and tuning), one JSON document per
// key, so every replica reads the same values without a restart.
export class CreateSettings1732600000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'settings',
        columns: [
          { ...varchar('setting_key', 64), isPrimary: true },
          longText(qr, 'value', { isNullable: false }),
          { name: 'version', type: 'int', default: 1 },
          bigint('updated_by', { unsigned: true, isNullable: true }),
          bigint('updated_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('settings');
  }
}
