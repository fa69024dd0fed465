import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, idColumn, longText, varchar } from './helpers';

// #14: the audit trail. Append-only: who (a user, or a job of Reelay's own), did what to which
// target, the target before and after (secrets masked), from which address and in which request.
export class CreateAuditLog1735000000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          idColumn(qr),
          bigint('created_at'),
          varchar('actor_type', 16),
          bigint('actor_id', { unsigned: true, isNullable: true }),
          varchar('actor_label', 254, { isNullable: true }),
          varchar('action', 64),
          varchar('target_type', 32),
          varchar('target_id', 128, { isNullable: true }),
          longText(qr, 'before_json'),
          longText(qr, 'after_json'),
          varchar('ip', 64, { isNullable: true }),
          varchar('request_id', 128, { isNullable: true }),
        ],
        indices: [
          { name: 'idx_audit_created', columnNames: ['created_at'] },
          { name: 'idx_audit_actor', columnNames: ['actor_id', 'id'] },
          { name: 'idx_audit_action', columnNames: ['action', 'id'] },
          { name: 'idx_audit_target', columnNames: ['target_type', 'target_id', 'id'] },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('audit_log');
  }
}
