import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { singleKeyVideosTable } from './1732100002000-CreateVideosSingleKey';
import { bigint, idColumn, longText, varchar } from './helpers';

// Columns both layouts share, in the order they are copied.
const SHARED = [
  'task_id',
  'video_id',
  'user_id',
  'channel_id',
  'model',
  'provider',
  'type',
  'status',
  'quota',
  'prompt',
  'duration',
  'store_url',
  'fail_reason',
  'created_at',
].join(', ');

const dualKeyVideosTable = (qr: QueryRunner, name: string): Table =>
  new Table({
    name,
    columns: [
      idColumn(qr),
      varchar('task_id', 200),
      varchar('video_id', 200, { isNullable: true }),
      bigint('user_id', { unsigned: true }),
      bigint('channel_id', { unsigned: true, isNullable: true }),
      varchar('model', 64),
      varchar('provider', 32),
      varchar('type', 32),
      varchar('status', 32),
      bigint('quota', { default: 0 }),
      { name: 'prompt', type: 'text', isNullable: true },
      varchar('duration', 16, { isNullable: true }),
      varchar('store_url', 2048, { isNullable: true }),
      { name: 'fail_reason', type: 'text', isNullable: true },
      bigint('created_at'),
      varchar('upstream_task_id', 128, { isNullable: true }),
      varchar('request_kind', 32, { isNullable: true }),
      longText(qr, 'request_params'),
      bigint('updated_at'),
    ],
    // Seed 002's index list. The seed's MySQL prefix lengths (task_id(40), video_id(40)) are
    // dropped: they are MySQL-only, and a unique prefix would reject two ids sharing 40 chars.
    indices: [
      { name: 'idx_task_id', columnNames: ['task_id'], isUnique: true },
      { name: 'idx_created_at', columnNames: ['created_at'] },
      { name: 'idx_user_id', columnNames: ['user_id'] },
      { name: 'idx_channel_id', columnNames: ['channel_id'] },
      { name: 'idx_status', columnNames: ['status'] },
      { name: 'idx_video_id', columnNames: ['video_id'] },
      { name: 'idx_user_created', columnNames: ['user_id', 'created_at'] },
      { name: 'idx_channel_created', columnNames: ['channel_id', 'created_at'] },
    ],
  });

// Seed 002: give videos an auto-increment id primary key and make task_id a unique key.
// Done by copy rather than ALTER so ids follow created_at order on both databases
// (MySQL's ALTER ... ADD id AUTO_INCREMENT would number rows in primary-key order).
export class VideosDualKey1732100003000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await assertNoDuplicateTaskIds(qr);
    await qr.dropTable('videos_new', true);
    await qr.createTable(dualKeyVideosTable(qr, 'videos_new'));
    await qr.query(
      `INSERT INTO videos_new (${SHARED}, updated_at) SELECT ${SHARED}, created_at FROM videos ORDER BY created_at, task_id`,
    );
    await qr.dropTable('videos');
    await qr.renameTable('videos_new', 'videos');
  }

  // Restores the single-key layout. The relay columns added here (upstream_task_id,
  // request_kind, request_params, updated_at) have no place in it and are dropped.
  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('videos_old', true);
    await qr.createTable(singleKeyVideosTable('videos_old'));
    await qr.query(`INSERT INTO videos_old (${SHARED}) SELECT ${SHARED} FROM videos ORDER BY id`);
    await qr.dropTable('videos');
    await qr.renameTable('videos_old', 'videos');
  }
}

// The seed's pre-check: a legacy table whose task_id was only indexed may hold duplicates,
// which the unique key cannot take. Refuse before changing anything.
async function assertNoDuplicateTaskIds(qr: QueryRunner): Promise<void> {
  const dups = (await qr.query(
    'SELECT task_id, COUNT(*) AS n FROM videos GROUP BY task_id HAVING COUNT(*) > 1 ORDER BY task_id',
  )) as Array<{ task_id: string; n: number | string }>;
  if (dups.length === 0) return;
  const sample = dups
    .slice(0, 5)
    .map((d) => `${d.task_id} (x${Number(d.n)})`)
    .join(', ');
  throw new Error(
    `Cannot convert videos to the dual-key layout: ${dups.length} task_id value(s) occur more than once: ${sample}. ` +
      'Resolve the duplicates (SELECT task_id, COUNT(*) FROM videos GROUP BY task_id HAVING COUNT(*) > 1) and run the migration again; nothing was changed.',
  );
}
