import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { bigint } from './helpers';

// #14: an auto-disabled channel is re-checked on a schedule and re-enabled when its key works
// again, unless the admin turned that off for the channel. recheck_at_ms is when it is next due;
// claiming a check moves it forward, so replicas split the channels instead of all checking each.
export class ChannelAutoReenable1735000002000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('channels', [
      new TableColumn({ name: 'auto_reenable', type: 'boolean', isNullable: false, default: 1 }),
      new TableColumn(bigint('recheck_at_ms', { isNullable: true })),
    ]);
    await qr.createIndex(
      'channels',
      new TableIndex({ name: 'idx_channels_recheck', columnNames: ['status', 'recheck_at_ms'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('channels', 'idx_channels_recheck');
    await qr.dropColumns('channels', ['recheck_at_ms', 'auto_reenable']);
  }
}
