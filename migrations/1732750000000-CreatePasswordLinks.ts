import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { bigint, idColumn, varchar } from './helpers';

// Accounts: one-time password links (an admin's setup or reset link; only the hash is kept) and a
// per-user session version carried in every session JWT, so a password change can end every
// session issued before it.
export class CreatePasswordLinks1732750000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('users', new TableColumn({ name: 'session_version', type: 'int', default: 0 }));
    await qr.createTable(
      new Table({
        name: 'password_links',
        columns: [
          idColumn(qr),
          bigint('user_id', { unsigned: true }),
          varchar('token_hash', 64),
          varchar('purpose', 16),
          bigint('created_by', { unsigned: true, isNullable: true }),
          bigint('expires_at'),
          bigint('used_at', { isNullable: true }),
          bigint('created_at'),
        ],
        uniques: [{ name: 'uq_password_links_token_hash', columnNames: ['token_hash'] }],
        indices: [{ name: 'idx_password_links_user', columnNames: ['user_id', 'used_at'] }],
        foreignKeys: [
          {
            name: 'fk_password_links_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('password_links');
    await qr.dropColumn('users', 'session_version');
  }
}
