import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { varchar } from './helpers';

// #13: which API made a task (the OpenAI list shows its own videos, Kling's list its own tasks),
// and what a Kling-protocol client gave with it: its own task id (unique per user, as Kling keeps
// it per account) and its callback URL.
export class TaskClientFields1732800000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('videos', [
      new TableColumn(varchar('api', 16, { isNullable: true })),
      new TableColumn(varchar('client_ref', 128, { isNullable: true })),
      new TableColumn(varchar('client_callback_url', 2048, { isNullable: true })),
    ]);
    await qr.createIndex(
      'videos',
      new TableIndex({ name: 'idx_videos_user_api', columnNames: ['user_id', 'api', 'id'] }),
    );
    await qr.createIndex(
      'videos',
      new TableIndex({ name: 'uq_videos_user_client_ref', columnNames: ['user_id', 'client_ref'], isUnique: true }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('videos', 'uq_videos_user_client_ref');
    await qr.dropIndex('videos', 'idx_videos_user_api');
    await qr.dropColumns('videos', ['client_callback_url', 'client_ref', 'api']);
  }
}
