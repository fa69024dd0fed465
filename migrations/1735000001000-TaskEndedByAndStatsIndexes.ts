import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { varchar } from './helpers';

// #14: how each task ended ('callback' | 'poll' | 'refresh' | 'timeout' | 'submit'; null for tasks
// that ended before this column existed), and covering indexes for the admin stats, so a time
// range is read from an index alone, never by scanning `videos` or `payment_orders`.
export class TaskEndedByAndStatsIndexes1735000001000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('videos', new TableColumn(varchar('ended_by', 16, { isNullable: true })));
    await qr.createIndex(
      'videos',
      new TableIndex({
        name: 'idx_videos_stats',
        columnNames: [
          'created_at',
          'provider',
          'model',
          'channel_id',
          'user_id',
          'status',
          'ended_by',
          'quota',
          'finished_at',
        ],
      }),
    );
    await qr.createIndex(
      'payment_orders',
      new TableIndex({
        name: 'idx_orders_paid',
        columnNames: ['status', 'paid_at', 'package_id', 'amount_fen', 'credits'],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('payment_orders', 'idx_orders_paid');
    await qr.dropIndex('videos', 'idx_videos_stats');
    await qr.dropColumn('videos', 'ended_by');
  }
}
