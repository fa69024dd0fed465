import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { AuthService, JWT_AUDIENCE, JWT_ISSUER } from '../../src/auth/auth.service';
import { Clock } from '../../src/common/clock/clock.service';
import { startKlingSimulator, KlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTcpProxy, TcpProxy } from '../helpers/tcp-proxy';
import { createTestDatabase, TestDatabase, testDbKind } from '../helpers/test-db';
import { startTestApp, TestApp } from '../helpers/test-app';

// A clock the test can move forward (key expiry) without waiting.
class MovableClock extends Clock {
  offsetMs = 0;
  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }
}

// What a new user trips over, each mended: the answers say what is wrong and what to do.
describe("a new user's trail", () => {
  let t: TestApp;
  let clock: MovableClock;
  let admin: TestUser;
  let sim: KlingSimulator;

  beforeAll(async () => {
    sim = await startKlingSimulator({});
    clock = new MovableClock();
    t = await startTestApp({ override: (b) => b.overrideProvider(Clock).useValue(clock) });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const sign = (claims: Record<string, unknown>, exp?: number) => {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt();
    if (exp !== undefined) jwt = jwt.setExpirationTime(exp);
    return jwt.sign(t.app.get(AuthService).jwtVerificationKey);
  };

  it('refuses a session token without an expiry, and one whose subject is not a user id, with 401', async () => {
    const u = await registerUser(t);
    const later = Math.floor(Date.now() / 1000) + 600;
    await t
      .http()
      .get('/api/users/me')
      .set(bearer(await sign({ sub: String(u.id) }, later)))
      .expect(200);
    const noExp = await t
      .http()
      .get('/api/users/me')
      .set(bearer(await sign({ sub: String(u.id) })));
    expect(noExp.status).toBe(401);
    expect(noExp.body.error.message).toMatch(/no expiry/);
    for (const sub of ['abc', '1.5', '-1', '0', '1e3', '99999999999999999999', '']) {
      const res = await t
        .http()
        .get('/api/users/me')
        .set(bearer(await sign({ sub }, later)));
      expect({ sub, status: res.status }).toEqual({ sub, status: 401 });
      expectErrorShape(res.body, 'unauthenticated');
    }
    const numeric = await t
      .http()
      .get('/api/users/me')
      .set(bearer(await sign({ sub: u.id }, later)));
    expect(numeric.status).toBe(401);
  });

  it('refuses common and weak passwords at sign-up, naming the field', async () => {
    for (const password of [
      '12345678',
      'password',
      'qwertyuiop',
      'iloveyou1',
      'aaaaaaaaaa',
      'trail-user@example.test',
    ]) {
      const res = await t.http().post('/api/auth/register').send({ email: 'trail-user@example.test', password });
      expect({ password, status: res.status }).toEqual({ password, status: 400 });
      expect(res.body.error.details[0]).toEqual({
        field: 'password',
        message: expect.stringMatching(/too easy to guess/),
      });
    }
    await t
      .http()
      .post('/api/auth/register')
      .send({ email: 'trail-user@example.test', password: 'violet-kettle-93-drums' })
      .expect(201);
  });

  it('says whether a key is invalid, revoked or expired, and lists an expired key as expired', async () => {
    const u = await registerUser(t);
    const never = `sk-${'x'.repeat(48)}`;
    const invalid = await t.http().get('/api/users/me').set(bearer(never)).expect(401);
    expect(invalid.body.error.message).toBe('This API key is not valid');
    const malformed = await t.http().get('/api/users/me').set(bearer('sk-short')).expect(401);
    expect(malformed.body.error.message).toBe('This API key is not valid');

    const revoked = await createApiKey(t, u, 'to-revoke');
    await t.http().delete(`/api/tokens/${revoked.id}`).set(bearer(u.jwt)).expect(204);
    const r = await t.http().get('/api/users/me').set(bearer(revoked.key)).expect(401);
    expect(r.body.error.message).toBe('This API key was revoked');

    const expiring = await t
      .http()
      .post('/api/tokens')
      .set(bearer(u.jwt))
      .send({ name: 'short', expires_at: clock.now() + 60 })
      .expect(201);
    await t.http().get('/api/users/me').set(bearer(expiring.body.key)).expect(200);
    clock.offsetMs += 120_000;
    const e = await t.http().get('/api/users/me').set(bearer(expiring.body.key)).expect(401);
    expect(e.body.error.message).toBe('This API key has expired');
    const list = await t.http().get('/api/tokens').set(bearer(u.jwt)).expect(200);
    const statuses = Object.fromEntries(
      list.body.items.map((k: { name: string; status: string }) => [k.name, k.status]),
    );
    expect(statuses).toEqual({ short: 'expired', 'to-revoke': 'revoked' });
  });

  it('counts enterprise video keys against the 100-key cap', async () => {
    const u = await registerUser(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'enterprise' }).expect(200);
    const ds = t.app.get(DataSource);
    const now = clock.now();
    for (let i = 0; i < 99; i++) {
      await ds.query(
        "INSERT INTO api_tokens (user_id, name, key_hash, key_prefix, status, scope, expires_at, last_used_at, created_at) VALUES (?, ?, ?, 'sk-x', 'active', 'all', NULL, NULL, ?)",
        [u.id, `k${i}`, `hash-${u.id}-${i}`, now],
      );
    }
    await t.http().post('/api/quotas/me/api-key').set(bearer(u.jwt)).expect(201); // the 100th
    const over = await t.http().post('/api/quotas/me/api-key').set(bearer(u.jwt)).expect(409);
    expect(over.body.error.message).toMatch(/At most 100 active tokens/);
    await t.http().post('/api/tokens').set(bearer(u.jwt)).send({ name: 'one-more' }).expect(409);
  });

  it('refuses a Kling channel whose key is not AK|SK or whose models have no price, naming the field', async () => {
    const send = (body: Record<string, unknown>) =>
      t
        .http()
        .post('/api/admin/channels')
        .set(bearer(admin.jwt))
        .send({ name: 'k', type: 'kling', base_url: sim.url, key: 'ak|sk', models: ['kling-v1-6-std'], ...body });
    for (const key of ['just-one-key', 'ak|', '|sk', 'a|b|c', 'ak |sk']) {
      const res = await send({ key }).expect(400);
      expect(res.body.error.details).toEqual([{ field: 'key', message: expect.stringContaining('AK|SK') }]);
    }
    const unpriced = await send({ models: ['kling-v1-6-std', 'kling-v9-unpriced'] }).expect(400);
    expect(unpriced.body.error.details).toEqual([
      { field: 'models[1]', message: expect.stringContaining('has no price') },
    ]);
    const ok = await send({}).expect(201);
    const patch = await t
      .http()
      .patch(`/api/admin/channels/${ok.body.id}`)
      .set(bearer(admin.jwt))
      .send({ models: ['nope-model'] })
      .expect(400);
    expect(patch.body.error.details[0].field).toBe('models[0]');
  });

  it('never shows a negative remaining quota', async () => {
    const u = await registerUser(t);
    await t.app
      .get(DataSource)
      .query(
        "INSERT INTO provider_quotas (user_id, provider, quota, used, api_key_encrypted, created_at, updated_at) VALUES (?, 'viva', 0, 15000, NULL, 0, 0)",
        [u.id],
      );
    const res = await t.http().get('/api/quotas/me').set(bearer(u.jwt)).expect(200);
    expect(res.body.items).toEqual([
      { provider: 'viva', quota: 0, used: 15, remaining: 0, percent: 100, dedicated_key: false },
    ]);
  });
});

// The database goes away under a running app (MySQL: its connections are cut; SQLite: another
// process holds the write lock), and comes back.
describe('a database outage', () => {
  let t: TestApp;
  let db: TestDatabase;
  let proxy: TcpProxy | null = null;
  let u: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    let url = db.url;
    if (testDbKind() === 'mysql') {
      const target = new URL(db.url);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
      target.host = `127.0.0.1:${proxy.port}`;
      url = target.toString();
    }
    t = await startTestApp({ database: { ...db, url } });
    u = await registerUser(t);
  });
  afterAll(async () => {
    await t.close();
    await proxy?.close();
    await db.drop();
  });

  it('answers 503 service_unavailable with Retry-After while it is down, and recovers', async () => {
    let lock: Database.Database | null = null;
    if (proxy) proxy.cut();
    else {
      lock = new Database(db.url.slice('sqlite:'.length));
      lock.exec('BEGIN EXCLUSIVE');
    }
    const res = await t.http().post('/api/tokens').set(bearer(u.jwt)).send({ name: 'during-outage' });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expectErrorShape(res.body, 'service_unavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|ECONN|PROTOCOL|INSERT/i);
    if (proxy) proxy.restore();
    else {
      lock?.exec('ROLLBACK');
      lock?.close();
    }
    await t.http().post('/api/tokens').set(bearer(u.jwt)).send({ name: 'after-outage' }).expect(201);
  });
});
