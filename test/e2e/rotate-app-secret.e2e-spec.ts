import { DataSource } from 'typeorm';
import { Channel } from '../../src/channels/channel.entity';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { CHANNEL_KEY_PURPOSE, QUOTA_KEY_PURPOSE } from '../../src/common/crypto/key-purposes';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { AppConfig } from '../../src/config/app-config';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { ProviderQuota } from '../../src/quotas/provider-quota.entity';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { rotateAppSecret, RotationError } from '../../tools/rotate-app-secret/rotate-app-secret';
import { bearer, loginAdmin, registerUser } from '../helpers/factories';
import { startTestApp, TEST_APP_SECRET, TestApp } from '../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';

const NEW_SECRET = 'rotated-secret-fedcba9876543210fedcba9876543210';
const KLING_KEY = 'ak-rotate|sk-rotate-0123456789';
const WEBHOOK_KEY = 'kie-webhook-hmac-key-0123456789';
const VIVA_KEY = 'sk-viva-dedicated-0123456789';
const crypto = (secret: string) => new CryptoService(Object.assign(new AppConfig(), { appSecret: secret }));

// `npm run rotate-app-secret`: every encrypted key moves from the old APP_SECRET to the new one in
// one transaction, and the service started with the new secret uses them.
describe('APP_SECRET rotation', () => {
  let sim: KlingSimulator;
  let db: TestDatabase;
  let ds: DataSource;
  let channelIds: number[];

  const withApp = async <T>(secret: string, work: (t: TestApp) => Promise<T>): Promise<T> => {
    const t = await startTestApp({ database: db, env: { APP_SECRET: secret } });
    try {
      return await work(t);
    } finally {
      await t.close();
    }
  };
  const sealedRows = async () => ({
    channels: await ds.getRepository(Channel).find({ order: { id: 'ASC' } }),
    quotas: await ds.getRepository(ProviderQuota).find({ order: { id: 'ASC' } }),
  });
  const testChannel = (t: TestApp, jwt: string, id: number) =>
    t.http().post(`/api/admin/channels/${id}/test`).set(bearer(jwt));

  beforeAll(async () => {
    sim = await startKlingSimulator();
    sim.addKey('ak-rotate', 'sk-rotate-0123456789');
    db = await createTestDatabase();
    channelIds = await withApp(TEST_APP_SECRET, async (t) => {
      const admin = await loginAdmin(t);
      const add = async (body: Record<string, unknown>) =>
        (await t.http().post('/api/admin/channels').set(bearer(admin.jwt)).send(body).expect(201)).body.id as number;
      const kling = await add({
        name: 'kling',
        type: 'kling',
        base_url: sim.url,
        key: KLING_KEY,
        models: ['kling-v1-6-std'],
      });
      const kie = await add({
        name: 'kie',
        type: 'kie',
        base_url: 'https://kie.invalid',
        key: 'kie-master-key-0123',
        webhook_key: WEBHOOK_KEY,
        models: ['sora-2'],
      });
      const user = await registerUser(t);
      await t
        .http()
        .put(`/api/admin/users/${user.id}/quotas`)
        .set(bearer(admin.jwt))
        .send({ provider: 'viva', api_key: VIVA_KEY })
        .expect(200);
      expect((await testChannel(t, admin.jwt, kling).expect(200)).body.ok).toBe(true);
      return [kling, kie];
    });
    ds = new DataSource({ ...buildDataSourceOptions(parseDatabaseUrl(db.url)), entities: [Channel, ProviderQuota] });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    await sim?.close();
  });

  it('refuses weak or unchanged secrets', async () => {
    const run = (oldSecret: string, newSecret: string) =>
      rotateAppSecret({ databaseUrl: db.url, oldSecret, newSecret });
    await expect(run(TEST_APP_SECRET, 'short')).rejects.toThrow(RotationError);
    await expect(run(TEST_APP_SECRET, TEST_APP_SECRET)).rejects.toThrow('must differ');
  });

  it('changes nothing when one value opens with neither secret (one transaction)', async () => {
    const before = await sealedRows();
    const quota = before.quotas.find((q) => q.apiKeyEncrypted !== null) as ProviderQuota;
    const foreign = crypto('some-other-secret-0123456789abcdef0123').encrypt(QUOTA_KEY_PURPOSE, VIVA_KEY);
    await ds.getRepository(ProviderQuota).update({ id: quota.id }, { apiKeyEncrypted: foreign });
    try {
      // The channels come first, so their new values were written before the failure.
      await expect(
        rotateAppSecret({ databaseUrl: db.url, oldSecret: TEST_APP_SECRET, newSecret: NEW_SECRET }),
      ).rejects.toThrow(`provider_quotas.api_key_encrypted of row ${quota.id} opens with neither`);
      const after = await sealedRows();
      expect(after.channels).toEqual(before.channels);
    } finally {
      await ds.getRepository(ProviderQuota).update({ id: quota.id }, { apiKeyEncrypted: quota.apiKeyEncrypted });
    }
  });

  it('re-encrypts every channel key, webhook key and dedicated key; the service runs on the new secret', async () => {
    const report = await rotateAppSecret({ databaseUrl: db.url, oldSecret: TEST_APP_SECRET, newSecret: NEW_SECRET });
    expect(report).toEqual({
      reencrypted: {
        'channels.key_encrypted': 2,
        'channels.webhook_key_encrypted': 1,
        'provider_quotas.api_key_encrypted': 1,
      },
      alreadyRotated: 0,
    });

    const { channels, quotas } = await sealedRows();
    const open = (purpose: string, sealed: string | null) => crypto(NEW_SECRET).decrypt(purpose, sealed as string);
    expect(open(CHANNEL_KEY_PURPOSE, channels[0].keyEncrypted)).toBe(KLING_KEY);
    expect(open(CHANNEL_KEY_PURPOSE, channels[1].webhookKeyEncrypted)).toBe(WEBHOOK_KEY);
    expect(open(QUOTA_KEY_PURPOSE, quotas.find((q) => q.apiKeyEncrypted)?.apiKeyEncrypted ?? null)).toBe(VIVA_KEY);
    expect(() => crypto(TEST_APP_SECRET).decrypt(CHANNEL_KEY_PURPOSE, channels[0].keyEncrypted)).toThrow();

    // The service started with the new secret signs Kling calls with the same AK|SK.
    await withApp(NEW_SECRET, async (t) => {
      const admin = await loginAdmin(t);
      const res = await testChannel(t, admin.jwt, channelIds[0]).expect(200);
      expect(res.body).toMatchObject({ ok: true });
    });
  });

  it('changes nothing when run again after it succeeded', async () => {
    const before = await sealedRows();
    const report = await rotateAppSecret({ databaseUrl: db.url, oldSecret: TEST_APP_SECRET, newSecret: NEW_SECRET });
    expect(report).toEqual({ reencrypted: {}, alreadyRotated: 4 });
    expect(await sealedRows()).toEqual(before);
  });
});
