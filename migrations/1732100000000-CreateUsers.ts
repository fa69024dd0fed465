import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, idColumn, varchar } from './helpers';

export class CreateUsers1732100000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(qr),
          varchar('email', 254),
          varchar('password_hash', 255),
          varchar('role', 16, { default: "'user'" }),
          varchar('status', 16, { default: "'active'" }),
          varchar('plan', 32, { default: "'free'" }),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_users_email', columnNames: ['email'] }],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('users');
  }
}
