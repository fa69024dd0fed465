import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint } from './helpers';

// #15: when a task was first seen processing (unix seconds), for the task's timeline. Set by the
// same conditional UPDATE that moves it there; null for tasks that never were (or moved before
// this column existed).
export class TaskProcessingAt1735000003000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('videos', new TableColumn(bigint('processing_at', { isNullable: true })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('videos', 'processing_at');
  }
}
