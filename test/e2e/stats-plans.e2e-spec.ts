import { DataSource } from 'typeorm';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { insertOrders, insertVideos, OrderRow, VideoRow } from '../helpers/stats-fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';
import { testDbKind } from '../helpers/test-db';

const DAY = 86400;
const ROWS = 100_000;
const ORDERS = 10_000;
const MODELS = [
  ['kling', 'kling-v1-6-std'],
  ['kling', 'kling-v2-master'],
  ['kie', 'sora-2'],
  ['kie', 'sora-2-pro'],
  ['viva', 'veo3'],
] as const;
const STATUSES = ['succeed', 'succeed', 'succeed', 'failed', 'processing'];
const ENDED = ['callback', 'poll', 'refresh', 'timeout', 'submit'];
// The indexes that bound a query by its time range (created_at for tasks, paid_at for orders):
// a plan must read one of them as a range, not scan a table, an index, or a status's rows.
const TIME_RANGE_INDEXES = ['idx_videos_stats', 'idx_channel_created', 'idx_created_at', 'idx_orders_paid'];

interface Captured {
  sql: string;
  params: unknown[];
}

// Every stats query, as the stats endpoints send it, explained on a `videos` table of 100k rows
// over 100 days (and 10k orders): each reads its range through an index, none scans the table.
describe('admin stats query plans on 100k tasks', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: TestUser;
  const now = Math.floor(Date.now() / 1000);
  const start = now - 100 * DAY;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    ds = t.app.get(DataSource);
    admin = await loginAdmin(t);
    const rows: VideoRow[] = Array.from({ length: ROWS }, (_, i) => {
      const [provider, model] = MODELS[i % MODELS.length];
      const status = STATUSES[(i * 7) % STATUSES.length];
      const createdAt = start + Math.floor((i * 100 * DAY) / ROWS);
      return {
        taskId: `plan_${i}`,
        userId: 1 + ((i * 31) % 1000),
        channelId: 1 + ((i * 13) % 50),
        model,
        provider,
        status,
        endedBy: status === 'processing' ? null : ENDED[i % ENDED.length],
        quota: 15_000 * (1 + (i % 4)),
        createdAt,
        finishedAt: status === 'processing' ? null : createdAt + 30 + (i % 600),
      };
    });
    await insertVideos(ds, rows);
    const orders: OrderRow[] = Array.from({ length: ORDERS }, (_, i) => ({
      outTradeNo: `plan-order-${i}`,
      userId: 1 + (i % 1000),
      packageId: 1 + (i % 3),
      amountFen: 4900,
      credits: 50_000,
      status: i % 5 === 0 ? 'pending' : 'paid',
      paidAt: i % 5 === 0 ? null : start + Math.floor((i * 100 * DAY) / ORDERS),
      createdAt: start + Math.floor((i * 100 * DAY) / ORDERS),
    }));
    await insertOrders(ds, orders);
    // What a production database keeps up to date by itself.
    if (testDbKind() === 'mysql') await ds.query('ANALYZE TABLE videos, payment_orders, audit_log');
  });
  afterAll(() => t.close());

  // The SELECTs the endpoints send while `work` runs, recorded at the query runner.
  async function queriesOf(work: () => Promise<unknown>): Promise<Captured[]> {
    const qr = ds.createQueryRunner();
    const proto = Object.getPrototypeOf(qr) as { query: (sql: string, params?: unknown[]) => Promise<unknown> };
    await qr.release();
    const spy = jest.spyOn(proto, 'query');
    try {
      await work();
      return spy.mock.calls
        .map(([sql, params]) => ({ sql, params: params ?? [] }))
        .filter((q) => /^\s*SELECT/i.test(q.sql) && /FROM [`"]?(videos|payment_orders)[`"]?/i.test(q.sql));
    } finally {
      spy.mockRestore();
    }
  }

  // What in a query's plan reads tasks or orders other than through a time range on an index.
  async function unboundedReads(q: Captured): Promise<string[]> {
    if (testDbKind() === 'mysql') {
      const plan: Array<{ table: string; type: string; key: string | null }> = await ds.query(
        `EXPLAIN ${q.sql}`,
        q.params,
      );
      return plan
        .filter((p) => ['v', 'o'].includes(p.table))
        .filter((p) => p.type !== 'range' || !TIME_RANGE_INDEXES.includes(p.key ?? ''))
        .map((p) => `${p.table}: type ${p.type}, key ${p.key}`);
    }
    const plan: Array<{ detail: string }> = await ds.query(`EXPLAIN QUERY PLAN ${q.sql}`, q.params);
    // SQLite: SEARCH with the range on the index, never SCAN (a whole table or index).
    return plan
      .map((p) => p.detail)
      .filter((d) => /^(SCAN|SEARCH) (v|o)\b/.test(d))
      .filter((d) => {
        const m = /^SEARCH (v|o) USING (?:COVERING )?INDEX (\w+) \((.*)\)$/.exec(d);
        return !m || !TIME_RANGE_INDEXES.includes(m[2]) || !/(created_at|paid_at)>\?/.test(m[3]);
      });
  }

  const week = () => `from=${now - 7 * DAY}&to=${now}`;
  const get = (path: string) => t.http().get(path).set(bearer(admin.jwt)).expect(200);

  it.each([
    ['overview', () => get(`/api/admin/stats/overview?${week()}`)],
    [
      'overview, hourly, of one provider and model',
      () => get(`/api/admin/stats/overview?${week()}&bucket=hour&provider=kie&model=sora-2`),
    ],
    ['overview of one channel', () => get(`/api/admin/stats/overview?${week()}&channel_id=7`)],
    ['models', () => get(`/api/admin/stats/models?${week()}`)],
    ['models of one provider', () => get(`/api/admin/stats/models?${week()}&provider=viva`)],
    ['users', () => get(`/api/admin/stats/users?${week()}&page=2&page_size=50`)],
    ['users of one model', () => get(`/api/admin/stats/users?${week()}&model=veo3`)],
    ['channels', () => get(`/api/admin/stats/channels?${week()}`)],
    ['revenue', () => get(`/api/admin/stats/revenue?${week()}`)],
  ])('%s: every query reads through an index', async (_label, call) => {
    const queries = await queriesOf(call);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect({ sql: q.sql, unbounded: await unboundedReads(q) }).toEqual({ sql: q.sql, unbounded: [] });
    }
  });

  // The task lists filtered by user or channel read through an index led by that column (since
  // #16 the single-column user_id and channel_id indexes are gone: the (column, created_at) ones serve).
  it.each([
    [
      'user',
      'user_id',
      () => get('/api/admin/videos?user_id=7&page_size=20'),
      ['idx_user_created', 'idx_videos_user_api'],
    ],
    ['channel', 'channel_id', () => get('/api/admin/videos?channel_id=7&page_size=20'), ['idx_channel_created']],
  ])('the task list of one %s reads through an index it leads', async (_label, column, call, indexes) => {
    const queries = await queriesOf(call);
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect({ sql: q.sql, reads: await indexReads(q) }).toEqual({
        sql: q.sql,
        reads: [expect.stringMatching(new RegExp(`^(${indexes.join('|')}) on ${column}$`))],
      });
    }
  });

  // How a query reads `videos`: the index and its leading equality column, or the scan.
  async function indexReads(q: Captured): Promise<string[]> {
    if (testDbKind() === 'mysql') {
      const plan: Array<{ table: string; type: string; key: string | null; ref: string | null }> = await ds.query(
        `EXPLAIN ${q.sql}`,
        q.params,
      );
      const led = async (key: string) => {
        const rows: Array<{ Column_name: string }> = await ds.query(
          'SHOW INDEX FROM `videos` WHERE Key_name = ? AND Seq_in_index = 1',
          [key],
        );
        return rows[0]?.Column_name;
      };
      const reads: string[] = [];
      for (const p of plan.filter((r) => r.table === 'v')) {
        reads.push(p.type === 'ref' && p.key ? `${p.key} on ${await led(p.key)}` : `type ${p.type}, key ${p.key}`);
      }
      return reads;
    }
    const plan: Array<{ detail: string }> = await ds.query(`EXPLAIN QUERY PLAN ${q.sql}`, q.params);
    return plan
      .map((p) => p.detail)
      .filter((d) => /^(SCAN|SEARCH) v\b/.test(d))
      .map((d) => {
        const m = /^SEARCH v USING (?:COVERING )?INDEX (\w+) \((\w+)=\?/.exec(d);
        return m ? `${m[1]} on ${m[2]}` : d;
      });
  }

  it('answers over the whole table too (the figures add up to every row)', async () => {
    const body = (await get(`/api/admin/stats/overview?from=${start}&to=${now + 1}`)).body;
    expect(body.totals.tasks).toBe(ROWS);
    const revenue = (await get(`/api/admin/stats/revenue?from=${start}&to=${now + 1}`)).body;
    expect(revenue.paid_orders).toBe(ORDERS - ORDERS / 5);
  });
});
