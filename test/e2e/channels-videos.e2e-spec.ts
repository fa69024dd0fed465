import { DataSource } from 'typeorm';
import { TaskRetentionService } from '../../src/relay/core/task-retention.service';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

describe('channels and task views', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let admin: TestUser;
  const SECRET = 'sk-very-secret-value-123';

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 40 } });
    sim.addKey('ak-views', SECRET);
    t = await startTestApp({ env: { POLL_TICK_MS: '100', POLL_SCHEDULE_MS: '0:200' } });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  describe('channels', () => {
    it('stores the key encrypted, shows it masked, and accepts the legacy type 41', async () => {
      const res = await t
        .http()
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ name: 'legacy', type: 41, base_url: sim.url, key: `ak-views|${SECRET}`, models: ['kling-v1-6-std'] })
        .expect(201);
      expect(res.body).toMatchObject({
        type: 'kling',
        key_masked: 'ak-v…|****',
        status: 'enabled',
        priority: 0,
        weight: 1,
      });
      const [row] = await t.app.get(DataSource).query('SELECT key_encrypted FROM channels WHERE id = ?', [res.body.id]);
      expect(row.key_encrypted).not.toContain(SECRET);
      expect(row.key_encrypted).not.toContain('ak-views');

      const list = await t.http().get('/api/admin/channels').set(bearer(admin.jwt)).expect(200);
      const got = await t.http().get(`/api/admin/channels/${res.body.id}`).set(bearer(admin.jwt)).expect(200);
      for (const body of [res.body, list.body, got.body]) expect(JSON.stringify(body)).not.toContain(SECRET);
    });

    it('defaults the base URL to Kling Singapore and refuses an unknown type, naming the field', async () => {
      const res = await t
        .http()
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ name: 'default', type: 'kling', key: 'a|b', models: ['kling-v1-6-std'], status: 'disabled' })
        .expect(201);
      expect(res.body.base_url).toBe('https://api-singapore.klingai.com');
      const bad = await t
        .http()
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ name: 'x', type: 'sora', key: 'a|b', models: ['m'] })
        .expect(400);
      expect(bad.body.error.details[0].field).toBe('type');
    });

    it('tests a key against the upstream, and re-enabling clears an auto-disable', async () => {
      const models = ['kling-v1-6-std'];
      const good = await addChannel(t, { name: 'good', base_url: sim.url, key: `ak-views|${SECRET}`, models });
      const ok = await t.http().post(`/api/admin/channels/${good.id}/test`).set(bearer(admin.jwt)).expect(200);
      expect(ok.body).toEqual({ ok: true, message: 'Kling accepted the key', details: {} });
      const bad = await addChannel(t, { name: 'bad', base_url: sim.url, key: 'ak-views|wrong-secret', models });
      const no = await t.http().post(`/api/admin/channels/${bad.id}/test`).set(bearer(admin.jwt)).expect(200);
      expect(no.body).toMatchObject({ ok: false, details: { code: '1000' } });

      await t
        .http()
        .patch(`/api/admin/channels/${bad.id}`)
        .set(bearer(admin.jwt))
        .send({ status: 'disabled' })
        .expect(200);
      const back = await t
        .http()
        .patch(`/api/admin/channels/${bad.id}`)
        .set(bearer(admin.jwt))
        .send({ status: 'enabled', priority: 3 })
        .expect(200);
      expect(back.body).toMatchObject({ status: 'enabled', disabled_reason: null, priority: 3 });
      await t.http().delete(`/api/admin/channels/${bad.id}`).set(bearer(admin.jwt)).expect(204);
      await t.http().get(`/api/admin/channels/${bad.id}`).set(bearer(admin.jwt)).expect(404);
    });

    it('never writes a channel key to the log', () => {
      expect(t.logs.text()).not.toContain(SECRET);
    });
  });

  describe('videos', () => {
    let u: FundedUser;
    let other: FundedUser;
    const taskIds: string[] = [];

    beforeAll(async () => {
      await addChannel(t, {
        name: 'videos',
        base_url: sim.url,
        key: `ak-views|${SECRET}`,
        models: ['kling-v1-6-std'],
        priority: 10,
      });
      u = await fundedUser(t, 1000, 'viewer');
      other = await fundedUser(t, 1000, 'someone');
      for (const prompt of ['one', 'two', 'SIM_FAIL three']) {
        const r = await t
          .http()
          .post('/kling/v1/videos/text2video')
          .set(bearer(u.key))
          .send({ model: 'kling-v1-6-std', prompt })
          .expect(200);
        taskIds.push(r.body.task_id as string);
      }
      await t
        .http()
        .post('/kling/v1/videos/text2video')
        .set(bearer(other.key))
        .send({ model: 'kling-v1-6-std', prompt: 'theirs' })
        .expect(200);
      // The admin stats below count both users' tasks, so wait until all four have ended.
      await waitFor(async () => {
        for (const owner of [u, other]) {
          const r = await t.http().get('/api/videos?page_size=100').set(bearer(owner.jwt)).expect(200);
          if (!r.body.items.every((i: { status: string }) => ['succeed', 'failed'].includes(i.status))) return false;
        }
        return true;
      });
    });

    it('lists only your own tasks, newest first, with filters', async () => {
      const all = await t.http().get('/api/videos').set(bearer(u.key)).expect(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((i: { task_id: string }) => i.task_id).sort()).toEqual([...taskIds].sort());
      const failed = await t.http().get('/api/videos?status=failed').set(bearer(u.jwt)).expect(200);
      expect(failed.body.items).toEqual([
        expect.objectContaining({ task_id: taskIds[2], status: 'failed', credits: 72 }),
      ]);
      const succeeded = await t
        .http()
        .get('/api/videos?status=succeed&model=kling-v1-6-std')
        .set(bearer(u.jwt))
        .expect(200);
      expect(succeeded.body.total).toBe(2);
      expect(succeeded.body.items[0]).toMatchObject({
        video_url: expect.stringMatching(/^https:/),
        provider: 'kling',
        type: 'text2video',
      });
      const future = await t
        .http()
        .get(`/api/videos?created_from=${Math.floor(Date.now() / 1000) + 3600}`)
        .set(bearer(u.jwt))
        .expect(200);
      expect(future.body.total).toBe(0);
    });

    it('lets admins filter every task by user and status, and count them per status and day', async () => {
      const byUser = await t.http().get(`/api/admin/videos?user_id=${u.id}`).set(bearer(admin.jwt)).expect(200);
      expect(byUser.body.total).toBe(3);
      expect(byUser.body.items[0]).toMatchObject({ user_id: u.id, channel_id: expect.any(Number) });
      const stats = await t.http().get('/api/admin/stats/videos').set(bearer(admin.jwt)).expect(200);
      expect(stats.body.by_status).toMatchObject({ succeed: 3, failed: 1 });
      expect(stats.body.daily).toHaveLength(7);
      const today = stats.body.daily[6];
      expect(today).toEqual({
        date: new Date().toISOString().slice(0, 10),
        total: 4,
        succeeded: 3,
        failed: 1,
        credits_charged: 216,
      });
      const notAdmin = await t.http().get('/api/admin/videos').set(bearer(u.jwt)).expect(403);
      expectErrorShape(notAdmin.body, 'forbidden');
    });

    it('cleans up finished tasks past retention and keeps their ledger rows', async () => {
      const ds = t.app.get(DataSource);
      await ds.query('UPDATE videos SET created_at = created_at - 40 * 86400 WHERE user_id = ?', [u.id]);
      const [before] = await ds.query(
        "SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND ref_type = 'task'",
        [u.id],
      );
      expect(await t.app.get(TaskRetentionService).cleanupFinished()).toBe(3);
      const rest = await t.http().get('/api/videos').set(bearer(u.jwt)).expect(200);
      expect(rest.body.total).toBe(0);
      const [after] = await ds.query(
        "SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND ref_type = 'task'",
        [u.id],
      );
      expect(Number(after.n)).toBe(Number(before.n));
      expect((await t.http().get('/api/videos').set(bearer(other.jwt)).expect(200)).body.total).toBe(1);
    });
  });
});
