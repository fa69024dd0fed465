import { DataSource } from 'typeorm';
import { ChannelRecheckService } from '../../src/channels/channel-recheck.service';
import { ChannelsService } from '../../src/channels/channels.service';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { addChannel, fundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const MODEL = 'kling-v1-6-std';

interface AuditRow {
  actor_type: string;
  actor_label: string | null;
  action: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
}

// Seed 001 says to update a refused key by hand; Reelay re-checks an auto-disabled channel with
// the provider's account call and brings it back when its key works again.
describe('channels come back by themselves', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let ds: DataSource;
  let admin: TestUser;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 40 } });
    for (const ak of ['ak-back', 'ak-stays', 'ak-still-bad']) sim.addKey(ak, `sk-${ak}`, { state: 'abnormal' });
    t = await startTestApp({ env: { CHANNEL_RECHECK_INTERVAL_SECONDS: '1' } });
    ds = t.app.get(DataSource);
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const channel = async (id: number) =>
    (await t.http().get(`/api/admin/channels/${id}`).set(bearer(admin.jwt)).expect(200)).body as {
      status: string;
      disabled_reason: string | null;
      auto_reenable: boolean;
    };
  const accountCalls = (ak: string) => sim.calls().filter((c) => c.ak === ak && c.path === '/account/costs').length;
  const audit = (action: string, id: number): Promise<AuditRow[]> =>
    ds.query("SELECT * FROM audit_log WHERE action = ? AND target_type = 'channel' AND target_id = ? ORDER BY id", [
      action,
      String(id),
    ]);

  it('re-enables an auto-disabled channel once its key works, audited; one that may not come back stays disabled', async () => {
    const back = await addChannel(t, { name: 'back', base_url: sim.url, key: 'ak-back|sk-ak-back', models: [MODEL] });
    const stays = await addChannel(t, {
      name: 'stays',
      base_url: sim.url,
      key: 'ak-stays|sk-ak-stays',
      models: [MODEL],
    });
    await t
      .http()
      .patch(`/api/admin/channels/${stays.id}`)
      .set(bearer(admin.jwt))
      .send({ auto_reenable: false })
      .expect(200);
    const bad = await addChannel(t, {
      name: 'still bad',
      base_url: sim.url,
      key: 'ak-still-bad|sk-ak-still-bad',
      models: [MODEL],
    });

    // A real submit meets three refused accounts: each channel is taken out of rotation.
    const u = await fundedUser(t, 100);
    const submit = () =>
      t.http().post('/kling/v1/videos/text2video').set(bearer(u.key)).send({ model: MODEL, prompt: 'a cat' });
    expect((await submit()).status).toBe(503);
    for (const id of [back.id, stays.id, bad.id]) {
      expect(await channel(id)).toMatchObject({
        status: 'auto_disabled',
        disabled_reason: expect.stringMatching(/^Kling 1100/),
      });
      const [disabled] = await audit('channel.auto_disable', id);
      expect(disabled).toMatchObject({ actor_type: 'system', actor_label: 'relay' });
    }

    sim.setKey('ak-back', { state: 'ok' });
    sim.setKey('ak-stays', { state: 'ok' });
    await waitFor(async () => (await channel(back.id)).status === 'enabled', 10_000);
    // The still-refused key was asked again and stays out; the channel not allowed back was never asked.
    await waitFor(() => Promise.resolve(accountCalls('ak-still-bad') >= 2), 10_000);
    expect(await channel(bad.id)).toMatchObject({ status: 'auto_disabled' });
    expect(await channel(stays.id)).toMatchObject({ status: 'auto_disabled', auto_reenable: false });
    expect(accountCalls('ak-stays')).toBe(0);

    const reenabled = await audit('channel.auto_reenable', back.id);
    expect(reenabled).toHaveLength(1);
    expect(reenabled[0]).toMatchObject({ actor_type: 'system', actor_label: 'channel-recheck' });
    expect(JSON.parse(reenabled[0].before_json!)).toMatchObject({
      status: 'auto_disabled',
      disabled_reason: expect.stringMatching(/^Kling 1100/),
    });
    expect(JSON.parse(reenabled[0].after_json!)).toMatchObject({ status: 'enabled' });
    expect(await audit('channel.auto_reenable', bad.id)).toEqual([]);
    expect(await audit('channel.auto_reenable', stays.id)).toEqual([]);

    // Back in rotation: the next submit goes through it.
    expect((await submit()).status).toBe(200);

    // Once the admin allows it, the other comes back on its own too.
    await t
      .http()
      .patch(`/api/admin/channels/${stays.id}`)
      .set(bearer(admin.jwt))
      .send({ auto_reenable: true })
      .expect(200);
    await waitFor(async () => (await channel(stays.id)).status === 'enabled', 10_000);
    expect(await audit('channel.auto_reenable', stays.id)).toHaveLength(1);
  });

  it('leaves a channel an admin disabled alone, whatever its key', async () => {
    sim.addKey('ak-manual', 'sk-manual');
    const manual = await addChannel(t, {
      name: 'manual',
      base_url: sim.url,
      key: 'ak-manual|sk-manual',
      models: [MODEL],
    });
    await t
      .http()
      .patch(`/api/admin/channels/${manual.id}`)
      .set(bearer(admin.jwt))
      .send({ status: 'disabled' })
      .expect(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await channel(manual.id)).toMatchObject({ status: 'disabled' });
    expect(accountCalls('ak-manual')).toBe(0);
  });
});

// Two replicas re-checking at the same moment split the channels: each key is asked once and
// each channel re-enabled once.
describe('channel re-check across replicas', () => {
  let sim: KlingSimulator;
  let a: TestApp;
  let b: TestApp;
  const KEYS = ['ak-r1', 'ak-r2', 'ak-r3', 'ak-r4', 'ak-r5', 'ak-r6'];

  beforeAll(async () => {
    sim = await startKlingSimulator();
    for (const ak of KEYS) sim.addKey(ak, `sk-${ak}`);
    const env = { JOBS_ENABLED: 'false', CHANNEL_RECHECK_INTERVAL_SECONDS: '1' };
    a = await startTestApp({ env });
    b = await startTestApp({ env, database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await sim.close();
  });

  it('claims each due channel on one replica only', async () => {
    const ids: number[] = [];
    for (const ak of KEYS) {
      ids.push((await addChannel(a, { name: ak, base_url: sim.url, key: `${ak}|sk-${ak}`, models: [MODEL] })).id);
    }
    for (const id of ids) await a.app.get(ChannelsService).autoDisable(id, 'Kling 1100: Account exception');
    await new Promise((r) => setTimeout(r, 1100)); // their first re-check falls due

    const [ra, rb] = await Promise.all([
      a.app.get(ChannelRecheckService).recheckDue(),
      b.app.get(ChannelRecheckService).recheckDue(),
    ]);
    expect(ra.checked + rb.checked).toBe(KEYS.length);
    expect(ra.reenabled + rb.reenabled).toBe(KEYS.length);
    for (const ak of KEYS) {
      expect(sim.calls().filter((c) => c.ak === ak && c.path === '/account/costs')).toHaveLength(1);
    }
    const ds = a.app.get(DataSource);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'channel.auto_reenable'");
    expect(Number(n)).toBe(KEYS.length);
    const statuses: Array<{ status: string }> = await ds.query('SELECT status FROM channels');
    expect(statuses.every((s) => s.status === 'enabled')).toBe(true);
  });
});
