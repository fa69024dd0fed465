import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { UserRepository } from '../../src/auth/user.repository';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TEST_ADMIN, TestApp } from '../helpers/test-app';

describe('auth', () => {
  let t: TestApp;
  // Every secret the tests handle, to prove none of them reaches a response or a log line.
  const secrets: string[] = [TEST_ADMIN.password];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('register, login, me', () => {
    it('registers, logs in and answers /api/users/me without ever showing the password hash', async () => {
      const email = `Alice-${Date.now()}@Example.test`;
      const password = 'alice-password-123';
      secrets.push(password);
      const reg = await t.http().post('/api/auth/register').send({ email, password }).expect(201);
      expect(reg.body).toMatchObject({
        token_type: 'Bearer',
        user: { email: email.toLowerCase(), role: 'user', plan: 'free' },
      });
      expect(JSON.stringify(reg.body)).not.toMatch(/password|argon2/i);

      const login = await t.http().post('/api/auth/login').send({ email, password }).expect(200);
      secrets.push(login.body.access_token);
      const me = await t.http().get('/api/users/me').set(bearer(login.body.access_token)).expect(200);
      expect(me.body).toEqual({
        id: reg.body.user.id,
        email: email.toLowerCase(),
        role: 'user',
        status: 'active',
        plan: 'free',
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      });
    });

    it('refuses a second account with the same email (any case)', async () => {
      const u = await registerUser(t);
      const res = await t
        .http()
        .post('/api/auth/register')
        .send({ email: u.email.toUpperCase(), password: 'whatever-123' })
        .expect(409);
      expect(res.body).toMatchObject({ error: { code: 'email_taken' } });
    });

    it('answers a wrong password and an unknown email the same way', async () => {
      const u = await registerUser(t);
      const wrong = await t
        .http()
        .post('/api/auth/login')
        .send({ email: u.email, password: 'not-it-at-all' })
        .expect(401);
      const unknown = await t
        .http()
        .post('/api/auth/login')
        .send({ email: 'nobody@example.test', password: 'x' })
        .expect(401);
      expect(wrong.body.error).toEqual(unknown.body.error);
      expectErrorShape(wrong.body);
    });

    it('answers 401 without a token, with a forged token, and with an expired one', async () => {
      const none = await t.http().get('/api/users/me').expect(401);
      expect(none.body).toMatchObject({ error: { code: 'unauthenticated' } });
      const u = await registerUser(t);
      const [h, p] = u.jwt.split('.');
      await t
        .http()
        .get('/api/users/me')
        .set(bearer(`${h}.${p}.forgedsignature`))
        .expect(401);
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      payload.exp = Math.floor(Date.now() / 1000) - 10;
      const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${u.jwt.split('.')[2]}`;
      await t.http().get('/api/users/me').set(bearer(tampered)).expect(401);
    });
  });

  describe('password hashes made under older parameters', () => {
    const hashOf = async (id: number) =>
      String(
        (await t.app.get(DataSource).query('SELECT password_hash FROM users WHERE id = ?', [id]))[0].password_hash,
      );
    const paramsOf = (hash: string) => hash.split('$')[3];
    // What argon2's own defaults made before Reelay named its parameters.
    const oldHash = (password: string) =>
      argon2.hash(password, { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 });

    it('log in, are replaced at the baseline on that login, and keep the sessions already issued', async () => {
      const [u, other] = [await registerUser(t), await registerUser(t)];
      secrets.push(u.password, other.password);
      await t.app
        .get(DataSource)
        .query('UPDATE users SET password_hash = ? WHERE id = ?', [await oldHash(u.password), u.id]);
      const otherBefore = await hashOf(other.id);

      const login = await t.http().post('/api/auth/login').send({ email: u.email, password: u.password }).expect(200);
      expect(paramsOf(await hashOf(u.id))).toBe('m=19456,p=1,t=2');
      // The session from registration still works: the password did not change.
      await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(200);
      await t.http().get('/api/users/me').set(bearer(login.body.access_token)).expect(200);
      expect(await hashOf(other.id)).toBe(otherBefore);

      // Logging in again changes nothing; a wrong password is still wrong.
      const fresh = await hashOf(u.id);
      await t.http().post('/api/auth/login').send({ email: u.email, password: u.password }).expect(200);
      expect(await hashOf(u.id)).toBe(fresh);
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: u.email, password: `${u.password}x` })
        .expect(401);
    });

    it('leave a password changed since the login read it alone', async () => {
      const u = await registerUser(t);
      secrets.push(u.password);
      const stale = await oldHash(u.password);
      const current = await hashOf(u.id);
      expect(await t.app.get(UserRepository).replacePasswordHash(u.id, stale, 'x')).toBe(false);
      expect(await hashOf(u.id)).toBe(current);
    });
  });

  describe('API tokens', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await registerUser(t, 'tok');
      secrets.push(user.password, user.jwt);
    });

    it('creates a key shown once, uses it, revokes it, and then answers 401', async () => {
      const created = await t.http().post('/api/tokens').set(bearer(user.jwt)).send({ name: 'ci' }).expect(201);
      const key: string = created.body.key;
      secrets.push(key);
      expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
      expect(created.body.key_prefix).toBe(key.slice(0, 11));

      const list = await t.http().get('/api/tokens').set(bearer(user.jwt)).expect(200);
      expect(list.body).toMatchObject({ page: 1, page_size: 20, total: 1 });
      expect(JSON.stringify(list.body)).not.toContain(key);

      const me = await t.http().get('/api/users/me').set(bearer(key)).expect(200);
      expect(me.body.id).toBe(user.id);
      const used = await t.http().get('/api/tokens').set(bearer(user.jwt)).expect(200);
      expect(used.body.items[0].last_used_at).toEqual(expect.any(Number));

      await t.http().delete(`/api/tokens/${created.body.id}`).set(bearer(user.jwt)).expect(204);
      const after = await t.http().get('/api/users/me').set(bearer(key)).expect(401);
      expectErrorShape(after.body);
      // Revoking again is a no-op that still succeeds.
      await t.http().delete(`/api/tokens/${created.body.id}`).set(bearer(user.jwt)).expect(204);
      const listed = await t.http().get('/api/tokens').set(bearer(user.jwt)).expect(200);
      expect(listed.body.items[0].status).toBe('revoked');
    });

    it('refuses a key the moment it is revoked, although it was just used (and cached)', async () => {
      const { id, key } = await createApiKey(t, user);
      secrets.push(key);
      for (let i = 0; i < 3; i++) await t.http().get('/api/users/me').set(bearer(key)).expect(200);
      await t.http().delete(`/api/tokens/${id}`).set(bearer(user.jwt)).expect(204);
      await t.http().get('/api/users/me').set(bearer(key)).expect(401);
    });

    it("refuses a disabled user's key and session on the next request", async () => {
      const admin = await loginAdmin(t);
      const u = await registerUser(t, 'disabled');
      const { key } = await createApiKey(t, u);
      secrets.push(key, u.jwt, u.password, admin.jwt);
      await t.http().get('/api/users/me').set(bearer(key)).expect(200);
      await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(200);
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ status: 'disabled' }).expect(200);
      // The key and the session say the same: the account is disabled.
      const byKey = await t.http().get('/api/users/me').set(bearer(key)).expect(403);
      expectErrorShape(byKey.body, 'user_disabled');
      await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(403);
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ status: 'active' }).expect(200);
      await t.http().get('/api/users/me').set(bearer(key)).expect(200);
    });

    it('stops accepting a key once it expires', async () => {
      const expiresAt = Math.floor(Date.now() / 1000) + 2;
      const created = await t
        .http()
        .post('/api/tokens')
        .set(bearer(user.jwt))
        .send({ name: 'short', expires_at: expiresAt })
        .expect(201);
      secrets.push(created.body.key);
      await t.http().get('/api/users/me').set(bearer(created.body.key)).expect(200);
      await new Promise((r) => setTimeout(r, (expiresAt + 1) * 1000 - Date.now()));
      await t.http().get('/api/users/me').set(bearer(created.body.key)).expect(401);
    });

    it('refuses an expiry in the past, naming the field', async () => {
      const res = await t
        .http()
        .post('/api/tokens')
        .set(bearer(user.jwt))
        .send({ name: 'old', expires_at: 1000 })
        .expect(400);
      expect(res.body.error.details).toEqual([{ field: 'expires_at', message: 'must be in the future' }]);
    });

    it('does not let a key manage keys', async () => {
      const { key } = await createApiKey(t, user);
      secrets.push(key);
      await t.http().get('/api/tokens').set(bearer(key)).expect(401);
      await t.http().post('/api/tokens').set(bearer(key)).send({ name: 'more' }).expect(401);
    });

    it("cannot read or revoke another user's keys", async () => {
      const other = await registerUser(t, 'other');
      const theirs = await createApiKey(t, other);
      secrets.push(theirs.key, other.jwt);
      const mine = await t.http().get('/api/tokens').set(bearer(user.jwt)).expect(200);
      expect(mine.body.items.map((i: { id: number }) => i.id)).not.toContain(theirs.id);
      const res = await t.http().delete(`/api/tokens/${theirs.id}`).set(bearer(user.jwt)).expect(404);
      expect(res.body).toMatchObject({ error: { code: 'not_found' } });
      await t.http().get('/api/users/me').set(bearer(theirs.key)).expect(200);
    });

    it('rejects keys that were never issued', async () => {
      await t
        .http()
        .get('/api/users/me')
        .set(bearer(`sk-${'x'.repeat(48)}`))
        .expect(401);
      await t.http().get('/api/users/me').set(bearer('sk-short')).expect(401);
    });
  });

  describe('admin', () => {
    it('answers 403 to a user on every /api/admin route, and 401 to a stranger', async () => {
      const u = await registerUser(t);
      const doc = (await t.http().get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const adminRoutes = Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/api/admin'))
        .flatMap(([path, ops]) =>
          Object.keys(ops).map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, '1') })),
        );
      expect(adminRoutes.length).toBeGreaterThanOrEqual(2);
      for (const r of adminRoutes) {
        const asUser = await t.http()[r.method as 'get'](r.path).set(bearer(u.jwt)).send({});
        expect({ route: r, status: asUser.status, code: asUser.body.error?.code }).toEqual({
          route: r,
          status: 403,
          code: 'forbidden',
        });
        const asStranger = await t.http()[r.method as 'get'](r.path).send({});
        expect({ route: r, status: asStranger.status }).toEqual({ route: r, status: 401 });
      }
    });

    it('lists users with pagination and filters, and changes role, status and plan', async () => {
      const admin = await loginAdmin(t);
      secrets.push(admin.jwt);
      const u = await registerUser(t, 'managed');
      const page = await t.http().get('/api/admin/users?page=1&page_size=2').set(bearer(admin.jwt)).expect(200);
      expect(page.body).toMatchObject({ page: 1, page_size: 2, total: expect.any(Number) });
      expect(page.body.items).toHaveLength(2);
      const found = await t
        .http()
        .get(`/api/admin/users?email=${encodeURIComponent(u.email)}`)
        .set(bearer(admin.jwt))
        .expect(200);
      expect(found.body.items).toEqual([expect.objectContaining({ id: u.id, email: u.email })]);

      const patched = await t
        .http()
        .patch(`/api/admin/users/${u.id}`)
        .set(bearer(admin.jwt))
        .send({ plan: 'pro_plus' })
        .expect(200);
      expect(patched.body).toMatchObject({ id: u.id, plan: 'pro_plus', role: 'user' });

      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ status: 'disabled' }).expect(200);
      await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(403);
      await t.http().post('/api/auth/login').send({ email: u.email, password: u.password }).expect(403);

      await t.http().patch('/api/admin/users/999999').set(bearer(admin.jwt)).send({ plan: 'pro' }).expect(404);
      const self = await t
        .http()
        .patch(`/api/admin/users/${admin.id}`)
        .set(bearer(admin.jwt))
        .send({ role: 'user' })
        .expect(409);
      expect(self.body.error.code).toBe('conflict');
    });

    it('promotes a user to admin, who can then reach admin routes', async () => {
      const admin = await loginAdmin(t);
      const u = await registerUser(t, 'promoted');
      await t.http().get('/api/admin/users').set(bearer(u.jwt)).expect(403);
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ role: 'admin' }).expect(200);
      await t.http().get('/api/admin/users').set(bearer(u.jwt)).expect(200);
    });

    it('demotes an admin who was just authenticated (and cached): the next request is refused', async () => {
      const admin = await loginAdmin(t);
      const u = await registerUser(t, 'demoted');
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ role: 'admin' }).expect(200);
      await t.http().get('/api/admin/users').set(bearer(u.jwt)).expect(200);
      await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ role: 'user' }).expect(200);
      await t.http().get('/api/admin/users').set(bearer(u.jwt)).expect(403);
    });
  });

  it('never writes a password, password hash, JWT or API key to the log', () => {
    const logs = t.logs.text();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('"url":"/api/users/me"');
    for (const s of secrets) expect(logs).not.toContain(s);
    expect(logs).not.toMatch(/\$argon2/);
    expect(logs).not.toMatch(/sk-[A-Za-z0-9]{48}/);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
  });
});

describe('auth with registration closed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { REGISTRATION_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('refuses to register and still lets the admin log in', async () => {
    const res = await t
      .http()
      .post('/api/auth/register')
      .send({ email: 'x@example.test', password: 'password-123' })
      .expect(403);
    expect(res.body.error.code).toBe('registration_closed');
    await loginAdmin(t);
  });
});
