import { DataSource } from 'typeorm';
import { Db } from '../../src/common/database/db.service';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { ProviderQuotaRepository } from '../../src/quotas/provider-quota.repository';
import { newUser } from '../helpers/medium-fixtures';
import { startServices, TestServices } from '../helpers/test-services';

// Writes a transaction gathers and makes just before it commits (usage sums, copy jobs): the
// rows are right, one statement carries many, a reader in the same transaction sees them, and a
// rollback takes them with it. On both databases.
describe('Writes gathered until commit', () => {
  let t: TestServices;
  let db: Db;
  let ds: DataSource;
  let quotas: ProviderQuotaRepository;
  let copies: MediaCopyRepository;

  beforeAll(async () => {
    t = await startServices();
    db = t.get(Db);
    ds = t.get(DataSource);
    quotas = t.get(ProviderQuotaRepository);
    copies = t.get(MediaCopyRepository);
  });
  afterAll(() => t.close());

  const used = async (userId: number) =>
    (await ds.query('SELECT used FROM provider_quotas WHERE user_id = ? AND provider = ?', [userId, 'viva'])).map(
      (r: { used: number | string }) => Number(r.used),
    );

  it('sums a transaction’s usage per user into one statement at commit, and a reader inside it sees the sum', async () => {
    const [a, b] = [await newUser(t), await newUser(t)];
    const write = jest.spyOn(db, 'flushWrite');
    const seen = await db.tx(async (m) => {
      for (let i = 0; i < 30; i++) await quotas.recordUsage(m, i % 3 === 0 ? b.id : a.id, 'viva', 7, 1);
      expect(write).not.toHaveBeenCalled(); // nothing written before commit
      await quotas.recordUsage(m, a.id, 'viva', 1, 2);
      return (await quotas.findForUser(a.id, 'viva', m))?.used; // flushes a's sum first
    });
    expect(write.mock.calls.map((c) => c[3])).toEqual([false, true]); // a's at the read, b's at commit
    write.mockRestore();
    expect(seen).toBe(20 * 7 + 1);
    expect(await used(a.id)).toEqual([141]);
    expect(await used(b.id)).toEqual([70]);

    // An existing row is added to (the upsert), in its own transaction and outside any.
    await db.tx(async (m) => quotas.recordUsage(m, a.id, 'viva', 9, 3));
    await db.run((m) => quotas.recordUsage(m, a.id, 'viva', 10, 4));
    expect(await used(a.id)).toEqual([160]);
  });

  it('writes nothing of a transaction that rolls back', async () => {
    const u = await newUser(t);
    await expect(
      db.tx(async (m) => {
        await quotas.recordUsage(m, u.id, 'viva', 5, 1);
        await copies.enqueue(m, { taskId: `rb_${u.id}`, userId: u.id, sourceUrl: 'https://cdn/x.mp4' }, 1000);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await used(u.id)).toEqual([]);
    expect(await ds.query('SELECT id FROM media_copies WHERE user_id = ?', [u.id])).toEqual([]);
  });

  it('writes 37 copy jobs in multi-row statements at commit, each once, a replay changing nothing', async () => {
    const u = await newUser(t);
    const ids = Array.from({ length: 37 }, (_, i) => `mr_${u.id}_${i}`);
    const write = jest.spyOn(db, 'flushWrite');
    const enqueueAll = (url: string) =>
      db.tx(async (m) => {
        for (const taskId of [...ids, ids[0]]) await copies.enqueue(m, { taskId, userId: u.id, sourceUrl: url }, 5000);
      });
    await enqueueAll('https://cdn/first.mp4');
    expect(write).toHaveBeenCalledTimes(3); // 32 + 4 + 1 rows
    write.mockRestore();
    await enqueueAll('https://cdn/second.mp4'); // replayed: INSERT IGNORE keeps the first
    const rows = await ds.query<Array<{ task_id: string; source_url: string; status: string }>>(
      'SELECT task_id, source_url, status FROM media_copies WHERE user_id = ?',
      [u.id],
    );
    expect(rows.map((r) => r.task_id).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => `${r.source_url} ${r.status}`))).toEqual(new Set(['https://cdn/first.mp4 pending']));
  });
});
