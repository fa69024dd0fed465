import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// #16: indexes of the seed's videos table that no query needs. `user_id` and `channel_id` alone
// are the leading columns of idx_user_created and idx_channel_created (which serve every lookup
// they served), and no query filters on `video_id`. Each index costs every insert (and every
// update of its column) a page: on SQLite a WAL frame per commit, on MySQL a secondary-index write.
// idx_created_at stays: the unfiltered task list orders by (created_at, id), which it alone gives.
const DROPPED = [
  { name: 'idx_user_id', columnNames: ['user_id'] },
  { name: 'idx_channel_id', columnNames: ['channel_id'] },
  { name: 'idx_video_id', columnNames: ['video_id'] },
];

export class DropRedundantVideoIndexes1735000004000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    for (const index of DROPPED) await qr.dropIndex('videos', index.name);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const index of DROPPED) await qr.createIndex('videos', new TableIndex(index));
  }
}
