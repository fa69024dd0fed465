import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, idColumn, varchar } from './helpers';

export class CreateApiTokens1732100001000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          idColumn(qr),
          bigint('user_id', { unsigned: true }),
          varchar('name', 64),
          varchar('key_hash', 64),
          varchar('key_prefix', 16),
          varchar('status', 16, { default: "'active'" }),
          bigint('expires_at', { isNullable: true }),
          bigint('last_used_at', { isNullable: true }),
          bigint('created_at'),
        ],
        uniques: [{ name: 'uq_api_tokens_key_hash', columnNames: ['key_hash'] }],
        indices: [{ name: 'idx_api_tokens_user', columnNames: ['user_id', 'created_at'] }],
        foreignKeys: [
          {
            name: 'fk_api_tokens_user',
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
    await qr.dropTable('api_tokens');
  }
}
