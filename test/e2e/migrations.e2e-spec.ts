import { DataSource, MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { singleKeyVideosTable } from '../../migrations/1732100002000-CreateVideosSingleKey';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';

type MigrationClass = new () => MigrationInterface;
const SINGLE_KEY = MIGRATIONS.slice(0, 3);
const UP_TO_DUAL_KEY = MIGRATIONS.slice(0, 4);
const BEFORE_RELAY_OWNERS = MIGRATIONS.slice(
  0,
  MIGRATIONS.findIndex((m) => m.name === 'RelayOwners1732700000000'),
);

async function open(db: TestDatabase, migrations: MigrationClass[] = MIGRATIONS): Promise<DataSource> {
  return new DataSource({ ...buildDataSourceOptions(parseDatabaseUrl(db.url)), migrations }).initialize();
}

// The schema as the database itself reports it, for comparing before and after a round trip.
async function schemaOf(ds: DataSource): Promise<string[]> {
  if (ds.options.type === 'mysql') {
    const tables: Array<Record<string, string>> = await ds.query('SHOW TABLES');
    const out: string[] = [];
    for (const row of tables) {
      const name = Object.values(row)[0];
      const [create] = await ds.query(`SHOW CREATE TABLE \`${name}\``);
      out.push(String(create['Create Table']).replace(/ AUTO_INCREMENT=\d+/, ''));
    }
    return out.sort();
  }
  const rows: Array<{ sql: string | null }> = await ds.query(
    "SELECT sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  );
  return rows.map((r) => String(r.sql)).sort();
}

async function tableNames(ds: DataSource): Promise<string[]> {
  if (ds.options.type === 'mysql') {
    return (await ds.query('SHOW TABLES')).map((r: Record<string, string>) => Object.values(r)[0]).sort();
  }
  const rows = await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((r: { name: string }) => r.name).sort();
}

interface IndexShape {
  name: string;
  unique: boolean;
  columns: string[];
}

// Indexes of `videos`, primary key included, from SHOW INDEX (MySQL) or PRAGMAs (SQLite).
async function videoIndexes(ds: DataSource): Promise<IndexShape[]> {
  const byName = new Map<string, IndexShape>();
  if (ds.options.type === 'mysql') {
    const rows: Array<{ Key_name: string; Non_unique: number | string; Seq_in_index: number; Column_name: string }> =
      await ds.query('SHOW INDEX FROM videos');
    rows.sort((a, b) => Number(a.Seq_in_index) - Number(b.Seq_in_index));
    for (const r of rows) {
      const shape = byName.get(r.Key_name) ?? { name: r.Key_name, unique: Number(r.Non_unique) === 0, columns: [] };
      shape.columns.push(r.Column_name);
      byName.set(r.Key_name, shape);
    }
  } else {
    const pk: Array<{ name: string; pk: number }> = await ds.query("PRAGMA table_info('videos')");
    const pkCols = pk
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    byName.set('PRIMARY', { name: 'PRIMARY', unique: true, columns: pkCols });
    const list: Array<{ name: string; unique: number; origin: string }> = await ds.query("PRAGMA index_list('videos')");
    for (const idx of list.filter((i) => i.origin === 'c')) {
      const cols: Array<{ seqno: number; name: string }> = await ds.query(`PRAGMA index_info('${idx.name}')`);
      byName.set(idx.name, {
        name: idx.name,
        unique: idx.unique === 1,
        columns: cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
      });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

const SEED_002_INDEXES: IndexShape[] = [
  { name: 'PRIMARY', unique: true, columns: ['id'] },
  { name: 'idx_channel_created', unique: false, columns: ['channel_id', 'created_at'] },
  { name: 'idx_channel_id', unique: false, columns: ['channel_id'] },
  { name: 'idx_created_at', unique: false, columns: ['created_at'] },
  { name: 'idx_status', unique: false, columns: ['status'] },
  { name: 'idx_task_id', unique: true, columns: ['task_id'] },
  { name: 'idx_user_created', unique: false, columns: ['user_id', 'created_at'] },
  { name: 'idx_user_id', unique: false, columns: ['user_id'] },
  { name: 'idx_video_id', unique: false, columns: ['video_id'] },
];

const SINGLE_KEY_INDEXES: IndexShape[] = [
  { name: 'PRIMARY', unique: true, columns: ['task_id'] },
  { name: 'idx_tid', unique: false, columns: ['task_id'] },
];

// Legacy rows whose created_at order differs from their task_id order.
const LEGACY_ROWS = [
  { task_id: 'kling_bbb', created_at: 1700000200, status: 'succeed', quota: 60000, video_id: 'v-b', prompt: '一只猫' },
  { task_id: 'kling_aaa', created_at: 1700000300, status: 'failed', quota: 0, video_id: null, prompt: 'a dog' },
  { task_id: 'kling_ccc', created_at: 1700000100, status: 'submitted', quota: 120000, video_id: null, prompt: null },
];

// `dualKey` adds the updated_at column the converted table requires.
async function insertLegacy(ds: DataSource, rows = LEGACY_ROWS, dualKey = false): Promise<void> {
  for (const r of rows) {
    await ds.query(
      'INSERT INTO videos (task_id, video_id, user_id, channel_id, model, provider, type, status, quota, prompt, duration, store_url, fail_reason, created_at' +
        (dualKey
          ? ', updated_at) VALUES (?, ?, 7, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
          : ') VALUES (?, ?, 7, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      [
        r.task_id,
        r.video_id,
        'kling-v1-5-std',
        'kling',
        'text2video',
        r.status,
        r.quota,
        r.prompt,
        '5',
        null,
        null,
        r.created_at,
      ].concat(dualKey ? [r.created_at] : []),
    );
  }
}

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    if (ds?.isInitialized) await ds.destroy();
    ds = undefined;
    await db.drop();
  });

  it('run up, all the way down, and up again to the same schema', async () => {
    ds = await open(db);
    await ds.runMigrations();
    const afterUp = await schemaOf(ds);
    expect(await tableNames(ds)).toEqual([
      'alert_states',
      'alerts',
      'api_token_spend',
      'api_tokens',
      'audit_log',
      'batch_events',
      'batch_items',
      'batch_user_state',
      'batches',
      'billing_settings',
      'channels',
      'credit_accounts',
      'idempotency_keys',
      'ledger_entries',
      'media_copies',
      'migrations',
      'packages',
      'password_links',
      'payment_orders',
      'prices',
      'provider_quotas',
      'settings',
      'users',
      'videos',
      'webhook_deliveries',
      'webhook_endpoints',
      'webhook_events',
      'webhook_secrets',
    ]);

    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    expect(await tableNames(ds)).toEqual(['migrations']);

    await ds.runMigrations();
    expect(await schemaOf(ds)).toEqual(afterUp);
  });

  it('converts the single-key videos table to the seed 002 dual-key layout and keeps every row', async () => {
    ds = await open(db, SINGLE_KEY);
    await ds.runMigrations();
    expect(await videoIndexes(ds)).toEqual(SINGLE_KEY_INDEXES);
    await insertLegacy(ds);
    await ds.destroy();

    ds = await open(db, UP_TO_DUAL_KEY);
    await ds.runMigrations();
    expect(await videoIndexes(ds)).toEqual(SEED_002_INDEXES);

    const rows = await ds.query(
      'SELECT id, task_id, status, quota, video_id, prompt, created_at, updated_at FROM videos ORDER BY id',
    );
    // ids follow created_at order, not task_id order.
    expect(rows.map((r: { id: number; task_id: string }) => [Number(r.id), r.task_id])).toEqual([
      [1, 'kling_ccc'],
      [2, 'kling_bbb'],
      [3, 'kling_aaa'],
    ]);
    const bbb = rows.find((r: { task_id: string }) => r.task_id === 'kling_bbb');
    expect({
      ...bbb,
      quota: Number(bbb.quota),
      created_at: Number(bbb.created_at),
      updated_at: Number(bbb.updated_at),
    }).toMatchObject({
      status: 'succeed',
      quota: 60000,
      video_id: 'v-b',
      prompt: '一只猫',
      created_at: 1700000200,
      updated_at: 1700000200,
    });

    // task_id is now a unique key and new rows get the next id.
    await expect(insertLegacy(ds, [LEGACY_ROWS[0]], true)).rejects.toThrow(/unique|duplicate/i);
    await insertLegacy(ds, [{ ...LEGACY_ROWS[0], task_id: 'kling_ddd' }], true);
    const [last] = await ds.query("SELECT id FROM videos WHERE task_id = 'kling_ddd'");
    expect(Number(last.id)).toBeGreaterThan(3); // MySQL may burn an id on the refused insert

    // down restores the single-key layout with the rows.
    await ds.undoLastMigration();
    expect(await videoIndexes(ds)).toEqual(SINGLE_KEY_INDEXES);
    const back = await ds.query('SELECT task_id FROM videos ORDER BY task_id');
    expect(back.map((r: { task_id: string }) => r.task_id)).toEqual([
      'kling_aaa',
      'kling_bbb',
      'kling_ccc',
      'kling_ddd',
    ]);
  });

  it('RelayOwners: backfills owners, schedules and deadlines, reopens batch tasks whose item was never settled, and goes back down', async () => {
    ds = await open(db, BEFORE_RELAY_OWNERS);
    await ds.runMigrations();
    const task = (
      id: string,
      status: string,
      billedBy: string | null,
      pollClass: string | null,
      upstream: string | null,
    ) =>
      ds!.query(
        `INSERT INTO videos (task_id, user_id, channel_id, model, provider, type, status, quota, created_at, updated_at,
           upstream_task_id, billed_by, poll_class, next_poll_at_ms) VALUES (?, 7, 3, 'm', 'kie', 'sora', ?, 15000, 1700000000, 1700000000, ?, ?, ?, NULL)`,
        [id, status, upstream, billedBy, pollClass],
      );
    const item = (idx: number, status: string, taskId: string) =>
      ds!.query(
        `INSERT INTO batch_items (batch_id, user_id, idx, prompt, model, resolution, duration, aspect_ratio, lane_rank, status,
           attempts, task_id, quota, created_at, updated_at_ms) VALUES (1, 7, ?, 'p', 'sora-2', '720p', 10, '16:9', 0, ?, 1, ?, 15000, 1, 1)`,
        [idx, status, taskId],
      );
    await task('kling_direct', 'succeed', null, null, 'u-1');
    await task('kie_settled', 'succeed', 'batch', '720p', 'u-2');
    await item(0, 'succeed', 'kie_settled');
    await task('kie_unsettled', 'succeed', 'batch', '720p', 'u-3'); // ended, item not settled yet
    await item(1, 'running', 'kie_unsettled');
    await task('kie_never_sent', 'failed', 'batch', '1080p', null); // failed at submit, engine died
    await item(2, 'dispatching', 'kie_never_sent');
    await ds.destroy();

    ds = await open(db);
    await ds.runMigrations();
    const rows: Array<Record<string, string | number | null>> = await ds.query(
      'SELECT task_id, owner, owner_ref, poll_schedule, deadline_at_ms, status, finished_at FROM videos ORDER BY task_id',
    );
    const byId = new Map(rows.map((r) => [r.task_id, { ...r, deadline_at_ms: Number(r.deadline_at_ms) }]));
    const itemId = async (idx: number) =>
      String((await ds!.query('SELECT id FROM batch_items WHERE idx = ?', [idx]))[0].id);
    expect(byId.get('kling_direct')).toMatchObject({
      owner: 'direct',
      owner_ref: null,
      poll_schedule: '0:5000,60000:10000,300000:30000,900000:60000',
      deadline_at_ms: 1700000000 * 1000 + 3600_000,
      status: 'succeed',
    });
    expect(byId.get('kie_settled')).toMatchObject({
      owner: 'batch',
      owner_ref: await itemId(0),
      poll_schedule: '0:3000,60000:5000,180000:8000',
      deadline_at_ms: 1700000000 * 1000 + 300_000,
      status: 'succeed',
    });
    expect(byId.get('kie_unsettled')).toMatchObject({
      status: 'processing',
      finished_at: null,
      owner_ref: await itemId(1),
    });
    expect(byId.get('kie_never_sent')).toMatchObject({
      status: 'unknown',
      poll_schedule: '0:5000,180000:8000,480000:12000',
      deadline_at_ms: 1700000000 * 1000 + 900_000,
    });
    expect((await ds.query('SELECT status FROM batch_items WHERE idx = 2'))[0].status).toBe('running');

    // Down through every later migration, then RelayOwners itself.
    for (let i = BEFORE_RELAY_OWNERS.length; i < MIGRATIONS.length; i++) await ds.undoLastMigration();
    const back: Array<Record<string, string | null>> = await ds.query(
      'SELECT task_id, billed_by, poll_class FROM videos ORDER BY task_id',
    );
    expect(back).toEqual([
      { task_id: 'kie_never_sent', billed_by: 'batch', poll_class: '1080p' },
      { task_id: 'kie_settled', billed_by: 'batch', poll_class: '720p' },
      { task_id: 'kie_unsettled', billed_by: 'batch', poll_class: '720p' },
      { task_id: 'kling_direct', billed_by: null, poll_class: null },
    ]);
  });

  it('refuses the conversion when a legacy table holds duplicate task_ids, and changes nothing', async () => {
    ds = await open(db, SINGLE_KEY);
    await ds.runMigrations();
    // A table from the Go gateway where task_id was only indexed, not a key.
    const qr = ds.createQueryRunner();
    await qr.dropTable('videos');
    const legacy = singleKeyVideosTable();
    legacy.columns.find((c) => c.name === 'task_id')!.isPrimary = false;
    await qr.createTable(legacy);
    await qr.release();
    await insertLegacy(ds);
    await insertLegacy(ds, [{ ...LEGACY_ROWS[0], created_at: 1700000999 }]);
    await ds.destroy();

    ds = await open(db);
    await expect(ds.runMigrations()).rejects.toThrow(/duplicate|more than once/i);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM videos');
    expect(Number(n)).toBe(4);
    expect(await tableNames(ds)).not.toContain('videos_new');
    const applied = await ds.query('SELECT name FROM migrations');
    expect(applied.map((r: { name: string }) => r.name)).not.toContain('VideosDualKey1732100003000');
  });
});
