import { randomUUID } from 'node:crypto';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

const REDIS_URL = 'redis://127.0.0.1:6379';

const expect429 = (res: { status: number; headers: Record<string, string>; body: unknown }) => {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expectErrorShape(res.body, 'rate_limited');
};

// Limits a production deployment runs with, tightened so a test can cross them quickly.
const limits = (over: Record<string, string> = {}) => ({
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000',
  RATE_LIMIT_LOGIN_FAILURES: '5',
  RATE_LIMIT_LOGIN_LOCKOUT_SECONDS: '120',
  RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000',
  RATE_LIMIT_API_KEY_PER_MINUTE: 'free:5,pro:8',
  ...over,
});

describe('abuse limits (in memory, one process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: limits() });
  });
  afterAll(() => t.close());

  it('locks an account after 5 wrong passwords: the right one is refused too until the lockout ends', async () => {
    const u = await registerUser(t);
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: u.email, password: `wrong-${i}` })
        .expect(401);
    }
    expect429(await t.http().post('/api/auth/login').send({ email: u.email, password: 'wrong-again' }));
    const right = await t.http().post('/api/auth/login').send({ email: u.email, password: u.password });
    expect429(right);
    expect(right.body.error.message).toMatch(/failed logins for this account/);
    // Another account is not affected.
    const other = await registerUser(t);
    await t.http().post('/api/auth/login').send({ email: other.email, password: other.password }).expect(200);
  });

  it('forgets earlier failures after a successful login', async () => {
    const u = await registerUser(t);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        await t.http().post('/api/auth/login').send({ email: u.email, password: 'nope' }).expect(401);
      await t.http().post('/api/auth/login').send({ email: u.email, password: u.password }).expect(200);
    }
  });

  it('limits each API key per minute by its owner plan, with Retry-After', async () => {
    const u = await registerUser(t);
    const a = await createApiKey(t, u, 'a');
    const b = await createApiKey(t, u, 'b');
    for (let i = 0; i < 5; i++) await t.http().get('/api/users/me').set(bearer(a.key)).expect(200);
    expect429(await t.http().get('/api/users/me').set(bearer(a.key)));
    // Per key: the other key still works, and the session token is not limited.
    await t.http().get('/api/users/me').set(bearer(b.key)).expect(200);
    await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(200);
  });
});

describe('abuse limits per client address, behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: limits({
        TRUST_PROXY: 'true',
        RATE_LIMIT_LOGIN_FAILURES: '2',
        RATE_LIMIT_LOGIN_LOCKOUT_SECONDS: '1',
        RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '3',
        RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '4',
      }),
    });
  });
  afterAll(() => t.close());

  const register = (ip: string) =>
    t
      .http()
      .post('/api/auth/register')
      .set('x-forwarded-for', ip)
      .send({ email: `r-${randomUUID()}@example.test`, password: `pw-${randomUUID()}` });

  it('limits sign-ups per address (X-Forwarded-For, as TRUST_PROXY allows), refused attempts included', async () => {
    await register('203.0.113.7').expect(201);
    await t
      .http()
      .post('/api/auth/register')
      .set('x-forwarded-for', '203.0.113.7')
      .send({ email: 'x@example.test', password: '12345678' })
      .expect(400);
    await register('203.0.113.7').expect(201);
    expect429(await register('203.0.113.7'));
    await register('203.0.113.8').expect(201);
  });

  it('limits login attempts per address, whatever the account', async () => {
    for (let i = 0; i < 4; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .set('x-forwarded-for', '198.51.100.1')
        .send({ email: `n${i}@example.test`, password: 'x' })
        .expect(401);
    }
    expect429(
      await t
        .http()
        .post('/api/auth/login')
        .set('x-forwarded-for', '198.51.100.1')
        .send({ email: 'n9@example.test', password: 'x' }),
    );
    await t
      .http()
      .post('/api/auth/login')
      .set('x-forwarded-for', '198.51.100.2')
      .send({ email: 'n9@example.test', password: 'x' })
      .expect(401);
  });

  it('ends the lockout after RATE_LIMIT_LOGIN_LOCKOUT_SECONDS', async () => {
    const u = await registerUser(t);
    const login = (password: string) =>
      t.http().post('/api/auth/login').set('x-forwarded-for', '192.0.2.44').send({ email: u.email, password });
    await login('wrong-1').expect(401);
    await login('wrong-2').expect(401);
    expect429(await login(u.password));
    await new Promise((r) => setTimeout(r, 1_300));
    await login(u.password).expect(200);
  });
});

// Two replicas on one database and one Redis (the real one on this machine): every limit is
// counted once for both. A fresh key prefix keeps runs apart.
describe('abuse limits shared by two processes through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = limits({
      REDIS_URL,
      RATE_LIMIT_KEY_PREFIX: `reelay-test:${randomUUID()}`,
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '6',
    });
    a = await startTestApp({ env });
    b = await startTestApp({ env, database: a.database });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('counts login failures on either replica towards one lockout', async () => {
    const u: TestUser = await registerUser(a);
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? a : b;
      await app.http().post('/api/auth/login').send({ email: u.email, password: 'wrong' }).expect(401);
    }
    expect429(await b.http().post('/api/auth/login').send({ email: u.email, password: u.password }));
    expect429(await a.http().post('/api/auth/login').send({ email: u.email, password: u.password }));
  });

  it('counts one API key across replicas', async () => {
    const u = await registerUser(b);
    const { key } = await createApiKey(a, u);
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).http().get('/api/users/me').set(bearer(key)).expect(200);
    expect429(await a.http().get('/api/users/me').set(bearer(key)));
    expect429(await b.http().get('/api/users/me').set(bearer(key)));
  });

  it('counts sign-ups from one address across replicas', async () => {
    // registerUser calls above used 2 of the 6; 4 more fit, split over both replicas.
    for (let i = 0; i < 4; i++) await registerUser(i % 2 ? a : b);
    const res = await a
      .http()
      .post('/api/auth/register')
      .send({ email: `z-${randomUUID()}@example.test`, password: `pw-${randomUUID()}` });
    expect429(res);
  });
});
