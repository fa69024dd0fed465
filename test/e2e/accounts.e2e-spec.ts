import { DataSource } from 'typeorm';
import { AUTH_CACHE_TTL_MS } from '../../src/auth/auth-cache';
import { resetAdminPassword } from '../../tools/admin/reset-password';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TEST_ADMIN, TEST_APP_SECRET, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const tokenOf = (url: string): string => new URL(url).hash.replace(/^#token=/, '');

describe('accounts: admin-made users, password links, password changes, shell recovery', () => {
  let t: TestApp;
  let admin: TestUser;
  const email = (p: string) => `${p}-${Math.random().toString(36).slice(2, 10)}@example.test`;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t);
  });
  afterAll(() => t.close());

  const login = (mail: string, password: string) => t.http().post('/api/auth/login').send({ email: mail, password });
  const me = (jwt: string) => t.http().get('/api/users/me').set(bearer(jwt));
  const createUser = (body: object) => t.http().post('/api/admin/users').set(bearer(admin.jwt)).send(body);
  const redeem = (token: string, password: string) =>
    t.http().post('/api/auth/password-links/redeem').send({ token, password });
  const resetPassword = (id: number, mode: 'link' | 'password') =>
    t.http().post(`/api/admin/users/${id}/password-reset`).set(bearer(admin.jwt)).send({ mode });

  describe('an admin creates a user', () => {
    it('with an initial password: the user logs in with it at once', async () => {
      const mail = email('Initial').toUpperCase();
      const res = await createUser({ email: mail, password: 'initial-pass-1', plan: 'pro' }).expect(201);
      expect(res.body).toEqual({
        user: expect.objectContaining({ email: mail.toLowerCase(), role: 'user', plan: 'pro', status: 'active' }),
        setup_link: null,
      });
      await login(mail.toLowerCase(), 'initial-pass-1').expect(200);
    });

    it('with a one-time setup link: nobody can log in until the link sets a password, which works once', async () => {
      const mail = email('setup');
      const res = await createUser({ email: mail }).expect(201);
      const link = res.body.setup_link;
      expect(link).toEqual({
        url: expect.stringContaining('/set-password#token='),
        purpose: 'setup',
        expires_at: expect.any(Number),
      });
      expect(new URL(link.url).origin).toBe(t.config.serverAddress);
      const token = tokenOf(link.url);

      const info = await t.http().post('/api/auth/password-links/inspect').send({ token }).expect(200);
      expect(info.body).toEqual({ email: mail, purpose: 'setup', expires_at: link.expires_at });

      const session = await redeem(token, 'chosen-by-user-1').expect(200);
      expect(session.body.user.email).toBe(mail);
      await me(session.body.access_token).expect(200);
      await login(mail, 'chosen-by-user-1').expect(200);

      // Replaying the link changes nothing: refused, and the password stays the one set first.
      const again = await redeem(token, 'attacker-choice-1').expect(410);
      expect(again.body.error.code).toBe('password_link_invalid');
      expectErrorShape(again.body);
      await login(mail, 'attacker-choice-1').expect(401);
      await login(mail, 'chosen-by-user-1').expect(200);
      await me(session.body.access_token).expect(200);
      await t.http().post('/api/auth/password-links/inspect').send({ token }).expect(410);
    });

    it('refuses an email that exists (any case) and creates nothing', async () => {
      const mail = email('dup');
      await createUser({ email: mail, password: 'first-pass-12' }).expect(201);
      const dup = await createUser({ email: mail.toUpperCase(), password: 'second-pass-12' }).expect(409);
      expect(dup.body.error.code).toBe('email_taken');
      const list = await t.http().get('/api/admin/users').query({ q: mail }).set(bearer(admin.jwt)).expect(200);
      expect(list.body.total).toBe(1);
      await login(mail, 'first-pass-12').expect(200);
    });

    it('names the wrong field', async () => {
      const res = await createUser({ email: 'not-an-email', password: 'short' }).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password']);
    });

    it('finds users by part of the email, treating % and _ literally', async () => {
      const tag = `zq${Date.now()}`;
      await createUser({ email: `${tag}_a@example.test`, password: 'search-pass-1' }).expect(201);
      await createUser({ email: `${tag}xb@example.test`, password: 'search-pass-1' }).expect(201);
      const all = await t.http().get('/api/admin/users').query({ q: tag.toUpperCase() }).set(bearer(admin.jwt));
      expect(all.body.total).toBe(2);
      const literal = await t
        .http()
        .get('/api/admin/users')
        .query({ q: `${tag}_` })
        .set(bearer(admin.jwt));
      expect(literal.body.items.map((u: { email: string }) => u.email)).toEqual([`${tag}_a@example.test`]);
    });
  });

  describe('an admin resets a password', () => {
    it('by link: the old password works until the link is used; a newer link replaces the older', async () => {
      const u = await registerUser(t, 'reset-link');
      const first = tokenOf((await resetPassword(u.id, 'link').expect(200)).body.link.url);
      const res = await resetPassword(u.id, 'link').expect(200);
      expect(res.body).toMatchObject({ mode: 'link', password: null, link: { purpose: 'reset' } });
      const second = tokenOf(res.body.link.url);
      await login(u.email, u.password).expect(200);
      await me(u.jwt).expect(200);

      await redeem(first, 'from-old-link-1').expect(410);
      await redeem(second, 'from-new-link-1').expect(200);
      await login(u.email, u.password).expect(401);
      await login(u.email, 'from-new-link-1').expect(200);
      await me(u.jwt).expect(401); // sessions from before the reset ended
    });

    it('by generated password: in force at once, shown once, earlier sessions end, API keys keep working', async () => {
      const u = await registerUser(t, 'reset-gen');
      const { key } = await createApiKey(t, u);
      const pendingLink = tokenOf((await resetPassword(u.id, 'link').expect(200)).body.link.url);
      const res = await resetPassword(u.id, 'password').expect(200);
      expect(res.body).toEqual({ mode: 'password', link: null, password: expect.stringMatching(/^[A-Za-z0-9]{20}$/) });
      await login(u.email, u.password).expect(401);
      await login(u.email, res.body.password).expect(200);
      await me(u.jwt).expect(401);
      await me(key).expect(200);
      await redeem(pendingLink, 'late-link-pass-1').expect(410); // the generated password superseded it
      expect(t.logs.text()).not.toContain(res.body.password);
    });

    it('answers 404 for an unknown user', async () => {
      await resetPassword(999_999, 'password').expect(404);
      await resetPassword(999_999, 'link').expect(404);
    });
  });

  describe('a user changes their own password', () => {
    it('needs the current password; every other session ends, the answer is a working new session', async () => {
      const u = await registerUser(t, 'change');
      const other = (await login(u.email, u.password).expect(200)).body.access_token;
      const { key } = await createApiKey(t, u);
      const change = (jwt: string, current: string, next: string) =>
        t
          .http()
          .post('/api/users/me/password')
          .set(bearer(jwt))
          .send({ current_password: current, new_password: next });

      const wrong = await change(u.jwt, 'not-my-password', 'brand-new-pass-1').expect(400);
      expect(wrong.body.error.details).toEqual([{ field: 'current_password', message: expect.any(String) }]);
      await me(other).expect(200);

      const res = await change(u.jwt, u.password, 'brand-new-pass-1').expect(200);
      const fresh = res.body.access_token;
      await me(fresh).expect(200);
      await me(u.jwt).expect(401);
      await me(other).expect(401);
      await me(key).expect(200);
      await login(u.email, 'brand-new-pass-1').expect(200);

      // Replaying the same request changes nothing: the old password is no longer current.
      await change(fresh, u.password, 'brand-new-pass-1').expect(400);
      await me(fresh).expect(200);
      await login(u.email, 'brand-new-pass-1').expect(200);
    });

    it('takes no API key (a leaked key cannot take the account)', async () => {
      const u = await registerUser(t, 'change-key');
      const { key } = await createApiKey(t, u);
      await t
        .http()
        .post('/api/users/me/password')
        .set(bearer(key))
        .send({ current_password: u.password, new_password: 'via-key-pass-1' })
        .expect(401);
      await login(u.email, u.password).expect(200);
    });
  });

  describe("nobody touches another user's account", () => {
    it('a customer can neither create users nor reset anyone, and a link sets only its own user', async () => {
      const a = await registerUser(t, 'a');
      const b = await registerUser(t, 'b');
      await t
        .http()
        .post('/api/admin/users')
        .set(bearer(a.jwt))
        .send({ email: email('x'), password: 'xxxxxxxx1' })
        .expect(403);
      await t
        .http()
        .post(`/api/admin/users/${b.id}/password-reset`)
        .set(bearer(a.jwt))
        .send({ mode: 'password' })
        .expect(403);
      await login(b.email, b.password).expect(200);

      // A's change of password is A's alone.
      await t
        .http()
        .post('/api/users/me/password')
        .set(bearer(a.jwt))
        .send({ current_password: a.password, new_password: 'a-new-password-1' })
        .expect(200);
      await login(b.email, b.password).expect(200);
      await me(b.jwt).expect(200);

      const link = tokenOf((await resetPassword(a.id, 'link').expect(200)).body.link.url);
      const session = await redeem(link, 'a-from-link-12').expect(200);
      expect(session.body.user.id).toBe(a.id);
      await login(b.email, 'a-from-link-12').expect(401);
      await login(b.email, b.password).expect(200);
    });
  });

  describe('disable and enable', () => {
    it('a disabled user cannot log in or use a link (the link stays unused until enabled)', async () => {
      const created = await createUser({ email: email('dis') }).expect(201);
      const id = created.body.user.id;
      const token = tokenOf(created.body.setup_link.url);
      await t.http().patch(`/api/admin/users/${id}`).set(bearer(admin.jwt)).send({ status: 'disabled' }).expect(200);
      const refused = await redeem(token, 'while-disabled-1').expect(403);
      expect(refused.body.error.code).toBe('user_disabled');
      await t.http().patch(`/api/admin/users/${id}`).set(bearer(admin.jwt)).send({ status: 'active' }).expect(200);
      const ok = await redeem(token, 'after-enable-12').expect(200);
      await me(ok.body.access_token).expect(200);
    });
  });

  describe('npm run admin:reset-password', () => {
    const run = async (argv: string[], stdin = '') => {
      let out = '';
      const code = await resetAdminPassword({
        argv,
        env: {
          DATABASE_URL: t.database.url,
          APP_SECRET: TEST_APP_SECRET,
          ADMIN_EMAIL: TEST_ADMIN.email,
          LOG_LEVEL: 'silent',
        },
        stdin: () => stdin,
        out: (text) => (out += text),
        err: (text) => (out += text),
      });
      return { code, out };
    };

    it('gives the admin a new generated password, shown once, and ends the old sessions', async () => {
      const before = await loginAdmin(t);
      const { code, out } = await run([]);
      expect(code).toBe(0);
      const password = /password: (\S+) {3}\(shown once\)/.exec(out)?.[1] as string;
      expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
      // The running server may serve the account from its auth cache for AUTH_CACHE_TTL_MS more.
      await waitFor(async () => (await me(before.jwt)).status === 401, AUTH_CACHE_TTL_MS + 3_000, 100);
      await login(TEST_ADMIN.email, TEST_ADMIN.password).expect(401);
      const session = await login(TEST_ADMIN.email, password).expect(200);
      await t.http().get('/api/admin/users').set(bearer(session.body.access_token)).expect(200);
      // Put the test admin back for the other tests.
      expect((await run(['--password-stdin'], `${TEST_ADMIN.password}\n`)).code).toBe(0);
      admin = await loginAdmin(t);
    });

    it('recovers a demoted, disabled account named by --email, and refuses a short password', async () => {
      const u = await registerUser(t, 'ops');
      const ds = t.app.get(DataSource);
      await ds.query("UPDATE users SET status = 'disabled' WHERE id = ?", [u.id]);
      expect((await run(['--email', u.email, '--password-stdin'], 'short')).code).toBe(2);
      const { code } = await run(['--email', u.email.toUpperCase(), '--password-stdin'], 'recovered-ops-pass\n');
      expect(code).toBe(0);
      const session = await login(u.email, 'recovered-ops-pass').expect(200);
      expect(session.body.user).toMatchObject({ role: 'admin', status: 'active' });
      // Recorded in the audit trail as done from the shell, without the password.
      const rows: Array<{ actor_type: string; actor_label: string; after_json: string }> = await ds.query(
        "SELECT * FROM audit_log WHERE action = 'user.admin_recovery' AND target_id = ?",
        [String(u.id)],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_type: 'system', actor_label: 'admin:reset-password' });
      expect(JSON.parse(rows[0].after_json)).toEqual({
        outcome: 'recovered',
        role: 'admin',
        status: 'active',
        chosen_by: 'operator', // who chose the new password (never the password)
      });
      expect(JSON.stringify(rows)).not.toContain('recovered-ops-pass');
    });
  });
});
