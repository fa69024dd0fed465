import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// #16: the interval each task is polled at, so the poller can claim the most overdue tasks
// relative to their intervals (a 5 s task 10 s late before a 30 s task 15 s late). The claim reads
// one lane per interval in due order from (poll_interval_ms, next_poll_at_ms), which replaces
// the index on next_poll_at_ms alone. Tasks polled before this column existed get 0: they are
// claimed first and take their interval at their next poll.
export class TaskPollLanes1735000005000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn(
      'videos',
      new TableColumn({ name: 'poll_interval_ms', type: 'int', isNullable: false, default: 0 }),
    );
    await qr.createIndex('videos', new TableIndex(LANES));
    await qr.dropIndex('videos', 'idx_videos_next_poll');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.createIndex('videos', new TableIndex({ name: 'idx_videos_next_poll', columnNames: ['next_poll_at_ms'] }));
    await qr.dropIndex('videos', LANES.name);
    await qr.dropColumn('videos', 'poll_interval_ms');
  }
}

const LANES = { name: 'idx_videos_poll_lane', columnNames: ['poll_interval_ms', 'next_poll_at_ms'] };
