import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Operation {
  operationId: string;
}
const DOC = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

// Every admin mutation the committed OpenAPI document has: not a GET, under /api/admin/. An
// operation added later joins this list by itself, and fails the walk until it has a recipe.
const ADMIN_MUTATIONS = Object.entries(DOC.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => method !== 'get' && path.startsWith('/api/admin/'))
    .map(([method, op]) => ({ method, path, operationId: op.operationId })),
);

interface AuditRow {
  id: number;
  actor_type: string;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  request_id: string | null;
}

interface Ctx {
  t: TestApp;
  admin: TestUser;
  user: TestUser;
  // A password reset ends the user's sessions: it gets a user of its own.
  resetUser: TestUser;
  channelId: number;
  packageId: number;
  sim: KlingSimulator;
}

// How to make each admin mutation succeed: its path parameters, its body, what it should record.
interface Recipe {
  action: string;
  target: (ctx: Ctx, params: Record<string, number | string>) => [string, string | null];
  // Work that must exist first (and is recorded on its own, before the walk counts).
  prepare?: (ctx: Ctx) => Promise<Record<string, number | string>>;
  params?: (ctx: Ctx) => Record<string, number>;
  body?: (ctx: Ctx) => Promise<object> | object;
}

const KLING_MODEL = 'kling-v1-6-std';
const DUPLICATE_PRICE = { model: 'listed-twice', scheme: 'kling_formula', base_credits: 1 };
const channelBody = (ctx: Ctx) => ({
  name: 'walked',
  type: 'kling',
  base_url: ctx.sim.url,
  key: 'ak-audit|sk-audit-secret-value',
  models: [KLING_MODEL],
});
const userId = (ctx: Ctx) => ({ id: ctx.user.id });
const userTarget = (ctx: Ctx): [string, string] => ['user', String(ctx.user.id)];

const RECIPES: Record<string, Recipe> = {
  AdminAccountsController_create: {
    action: 'user.create',
    target: () => ['user', null], // the new user's id, checked below
    body: () => ({ email: `walked-${randomBytes(4).toString('hex')}@example.test` }),
  },
  AdminUsersController_update: {
    action: 'user.update',
    target: userTarget,
    params: userId,
    body: () => ({ plan: 'pro' }),
  },
  AdminAccountsController_resetPassword: {
    action: 'user.password_reset',
    target: (ctx) => ['user', String(ctx.resetUser.id)],
    params: (ctx) => ({ id: ctx.resetUser.id }),
    body: () => ({ mode: 'password' }),
  },
  AdminBillingController_replacePrices: {
    action: 'prices.replace',
    target: () => ['price_table', null],
    body: async (ctx) => {
      const res = await ctx.t.http().get('/api/admin/prices?page_size=100').set(bearer(ctx.admin.jwt)).expect(200);
      return { items: (res.body.items as Array<{ updated_at?: number }>).map(({ updated_at: _u, ...rest }) => rest) };
    },
  },
  AdminBillingController_adjust: {
    action: 'credits.adjust',
    target: userTarget,
    params: userId,
    body: () => ({ amount: 5, reason: 'walking the audit trail' }),
  },
  AdminPaymentsController_create: {
    action: 'package.create',
    target: () => ['package', null],
    body: () => ({ code: `walk-${randomBytes(3).toString('hex')}`, name: 'Walked', price_fen: 100, credits: 10 }),
  },
  AdminPaymentsController_update: {
    action: 'package.update',
    target: (ctx) => ['package', String(ctx.packageId)],
    params: (ctx) => ({ id: ctx.packageId }),
    body: () => ({ name: 'Walked again' }),
  },
  BatchAdminController_replace: {
    action: 'batch_config.replace',
    target: () => ['setting', 'batch_engine'],
    body: () => ({}),
  },
  AdminQuotasController_setKey: {
    action: 'quota.set_dedicated_key',
    target: userTarget,
    params: userId,
    body: () => ({ provider: 'viva', api_key: 'viva-dedicated-secret-1' }),
  },
  AdminQuotasController_run: { action: 'alerts.run', target: () => ['alerts', null] },
  ChannelsController_create: { action: 'channel.create', target: () => ['channel', null], body: channelBody },
  ChannelsController_update: {
    action: 'channel.update',
    target: (ctx) => ['channel', String(ctx.channelId)],
    params: (ctx) => ({ id: ctx.channelId }),
    body: () => ({ priority: 5, key: 'ak-audit|sk-audit-secret-value' }),
  },
  ChannelsController_remove: {
    action: 'channel.delete',
    target: (_ctx, params) => ['channel', String(params.id)],
    prepare: async (ctx) => {
      const res = await ctx.t.http().post('/api/admin/channels').set(bearer(ctx.admin.jwt)).send(channelBody(ctx));
      return { id: res.body.id as number };
    },
  },
  AdminTokensController_revoke: {
    action: 'token.revoke',
    target: (_ctx, params) => ['api_token', String(params.token_id)],
    prepare: async (ctx) => {
      const key = await createApiKey(ctx.t, ctx.user, 'revoked by the walk');
      return { id: ctx.user.id, token_id: key.id };
    },
  },
  // A delivery that was tried (failed), so redelivering it queues it again; jobs are off here.
  WebhookAdminController_redeliver: {
    action: 'webhook_delivery.redeliver',
    target: (_ctx, params) => ['webhook_delivery', String(params.delivery_id)],
    prepare: async (ctx) => {
      const endpoint = await ctx.t
        .http()
        .post('/api/webhooks')
        .set(bearer(ctx.user.jwt))
        .send({ url: 'http://127.0.0.1:9/walk' })
        .expect(201);
      const test = await ctx.t
        .http()
        .post(`/api/webhooks/${endpoint.body.id}/test`)
        .set(bearer(ctx.user.jwt))
        .expect(202);
      const id = test.body.id as string;
      await ctx.t.app
        .get(DataSource)
        .query("UPDATE webhook_deliveries SET status = 'failed', attempts = 1 WHERE public_id = ?", [id]);
      return { delivery_id: id };
    },
  },
  ChannelsController_test: {
    action: 'channel.test',
    target: (ctx) => ['channel', String(ctx.channelId)],
    params: (ctx) => ({ id: ctx.channelId }),
  },
};

describe('audit trail', () => {
  let sim: KlingSimulator;
  let t: TestApp;
  let ds: DataSource;
  let ctx: Ctx;
  // Every secret this suite sends or receives; none may appear in an audit row.
  const secrets: string[] = [];

  const count = async (): Promise<number> => Number((await ds.query('SELECT COUNT(*) AS n FROM audit_log'))[0].n);
  const rowsAfter = (id: number): Promise<AuditRow[]> =>
    ds.query('SELECT * FROM audit_log WHERE id > ? ORDER BY id', [id]);
  const lastId = async (): Promise<number> =>
    Number((await ds.query('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))[0].id);

  beforeAll(async () => {
    sim = await startKlingSimulator();
    sim.addKey('ak-audit', 'sk-audit-secret-value');
    t = await startTestApp({ env: { JOBS_ENABLED: 'false', OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
    ds = t.app.get(DataSource);
    const admin = await loginAdmin(t);
    const user = await registerUser(t, 'audited');
    const resetUser = await registerUser(t, 'reset');
    const channel = await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({
        name: 'kept',
        type: 'kling',
        base_url: sim.url,
        key: 'ak-audit|sk-audit-secret-value',
        webhook_key: 'webhook-secret-value-1',
        models: [KLING_MODEL],
      });
    const pkg = await t
      .http()
      .post('/api/admin/packages')
      .set(bearer(admin.jwt))
      .send({ code: 'audit-pack', name: 'Audit pack', price_fen: 990, credits: 100 })
      .expect(201);
    ctx = { t, admin, user, resetUser, channelId: channel.body.id as number, packageId: pkg.body.id as number, sim };
    secrets.push(
      'sk-audit-secret-value',
      'webhook-secret-value-1',
      'viva-dedicated-secret-1',
      admin.password,
      admin.jwt,
      user.password,
      user.jwt,
    );
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  describe('every admin mutation in the OpenAPI document', () => {
    it('has a recipe in this walk (a new admin operation must be added here)', () => {
      expect(ADMIN_MUTATIONS.length).toBeGreaterThanOrEqual(14);
      expect(ADMIN_MUTATIONS.filter((op) => !RECIPES[op.operationId]).map((op) => op.operationId)).toEqual([]);
    });

    it.each(ADMIN_MUTATIONS)('$method $path writes exactly one audit row, with who, what, where', async (op) => {
      const recipe = RECIPES[op.operationId];
      const params = { ...(await recipe.prepare?.(ctx)), ...recipe.params?.(ctx) };
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
      const before = await lastId();
      const requestId = `walk-${op.operationId}`;
      const req = t
        .http()
        [op.method as 'post' | 'put' | 'patch' | 'delete'](path)
        .set(bearer(ctx.admin.jwt))
        .set('X-Request-Id', requestId);
      const res = recipe.body ? await req.send(await recipe.body(ctx)) : await req;
      expect(res.status).toBeLessThan(300);
      if (res.body?.password) secrets.push(res.body.password as string);
      if (res.body?.setup_link?.url) secrets.push(String(res.body.setup_link.url).split('#token=')[1]);

      const rows = await rowsAfter(before);
      expect(rows).toHaveLength(1);
      const [type, id] = recipe.target(ctx, params);
      expect(rows[0]).toMatchObject({
        actor_type: 'user',
        action: recipe.action,
        target_type: type,
        ip: '127.0.0.1',
        request_id: requestId,
      });
      expect(Number(rows[0].actor_id)).toBe(ctx.admin.id);
      expect(rows[0].target_id).toBe(id ?? (res.body?.id ?? res.body?.user?.id ?? null)?.toString() ?? null);
    });
  });

  it('keeps what changed: a channel update shows the channel before and after, its key only masked', async () => {
    const res = await t
      .http()
      .get(`/api/admin/audit?action=channel.update&target_type=channel&target_id=${ctx.channelId}`)
      .set(bearer(ctx.admin.jwt))
      .expect(200);
    expect(res.body.total).toBe(1);
    const [entry] = res.body.items;
    expect(entry.before).toMatchObject({
      id: ctx.channelId,
      priority: 0,
      key_masked: 'ak-a…|****',
      webhook_key_set: true,
    });
    expect(entry.after).toMatchObject({ priority: 5, key_masked: 'ak-a…|****', key_changed: true });
    expect(entry).toMatchObject({ actor_type: 'user', actor_id: ctx.admin.id, actor_label: ctx.admin.email });
  });

  describe('a failed mutation writes no row', () => {
    it.each([
      ['a body the pipe refuses (400)', 'post', '/api/admin/channels', { name: 'x', type: 'kling' }, 400],
      [
        'a price table the service refuses (400)',
        'put',
        '/api/admin/prices',
        { items: [DUPLICATE_PRICE, DUPLICATE_PRICE] },
        400,
      ],
      ['a channel that does not exist (404)', 'patch', '/api/admin/channels/987654', { priority: 1 }, 404],
      [
        'a duplicate package code (409)',
        'post',
        '/api/admin/packages',
        { code: 'audit-pack', name: 'Again', price_fen: 1, credits: 1 },
        409,
      ],
      ['a stale batch config version (409)', 'put', '/api/admin/batch/config', { expected_version: 999 }, 409],
    ])('%s', async (_label, method, path, body, status) => {
      const before = await count();
      const res = await t.http()[method as 'post' | 'put' | 'patch'](path).set(bearer(ctx.admin.jwt)).send(body);
      expect(res.status).toBe(status);
      expectErrorShape(res.body);
      expect(await count()).toBe(before);
    });

    it('a credit adjustment refused inside its transaction (402) leaves neither the ledger row nor an audit row', async () => {
      const before = await count();
      await t
        .http()
        .post(`/api/admin/users/${ctx.user.id}/credits`)
        .set(bearer(ctx.admin.jwt))
        .send({ amount: -1_000_000, reason: 'too much', reference: 'refused-1' })
        .expect(402);
      expect(await count()).toBe(before);
      const ledger = await ds.query("SELECT COUNT(*) AS n FROM ledger_entries WHERE ref_id = 'refused-1'");
      expect(Number(ledger[0].n)).toBe(0);
    });
  });

  it('a replayed credit adjustment (same reference) records that it changed nothing; the balance moved once', async () => {
    const send = () =>
      t
        .http()
        .post(`/api/admin/users/${ctx.user.id}/credits`)
        .set(bearer(ctx.admin.jwt))
        .send({ amount: 7, reason: 'ticket 4711', reference: 'ticket-4711' })
        .expect(201);
    const start = await lastId();
    const first = await send();
    const again = await send();
    expect([first.body.status, again.body.status]).toEqual(['adjusted', 'already_adjusted']);
    expect(again.body.balance).toEqual(first.body.balance);
    const rows = await rowsAfter(start);
    expect(rows.map((r) => r.action)).toEqual(['credits.adjust', 'credits.adjust']);
    const [a, b] = rows.map((r) => ({ before: JSON.parse(r.before_json!), after: JSON.parse(r.after_json!) }));
    expect(a.after.balance - a.before.balance).toBe(7);
    expect(a.after).toMatchObject({ status: 'adjusted', amount: 7, reference: 'ticket-4711' });
    expect(b.after).toMatchObject({ status: 'already_adjusted', reference: 'ticket-4711' });
    expect(b.after.balance).toBe(b.before.balance);
  });

  it('records a key revocation by its owner once; a repeat or another user revokes nothing and records nothing', async () => {
    const key = await createApiKey(t, ctx.user, 'to revoke');
    secrets.push(key.key);
    const other = await registerUser(t, 'other');
    const start = await lastId();
    await t.http().delete(`/api/tokens/${key.id}`).set(bearer(other.jwt)).expect(404);
    await t
      .http()
      .delete(`/api/tokens/${key.id}`)
      .set(bearer(ctx.user.jwt))
      .set('X-Request-Id', 'revoke-1')
      .expect(204);
    await t.http().delete(`/api/tokens/${key.id}`).set(bearer(ctx.user.jwt)).expect(204);
    const rows = await rowsAfter(start);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_type: 'user',
      action: 'token.revoke',
      target_type: 'api_token',
      target_id: String(key.id),
      request_id: 'revoke-1',
    });
    expect(Number(rows[0].actor_id)).toBe(ctx.user.id);
    expect(JSON.parse(rows[0].before_json!)).toMatchObject({ name: 'to revoke', status: 'active' });
  });

  describe('GET /api/admin/audit', () => {
    it('filters by actor, action, target and time, newest first, in pages', async () => {
      const admin = bearer(ctx.admin.jwt);
      const all = await t.http().get('/api/admin/audit?page_size=100').set(admin).expect(200);
      const ids = all.body.items.map((i: { id: number }) => i.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(all.body).toMatchObject({ page: 1, page_size: 100, total: await count() });

      const page2 = await t.http().get('/api/admin/audit?page=2&page_size=3').set(admin).expect(200);
      expect(page2.body.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(3, 6));

      const byUser = await t.http().get(`/api/admin/audit?actor_id=${ctx.user.id}`).set(admin).expect(200);
      expect(byUser.body.items.map((i: { action: string }) => i.action)).toEqual(['token.revoke']);

      const creates = await t.http().get('/api/admin/audit?action=channel.create').set(admin).expect(200);
      expect(creates.body.total).toBe(3); // the kept channel, the walked one, the one deleted
      const target = await t
        .http()
        .get(`/api/admin/audit?target_type=package&target_id=${ctx.packageId}`)
        .set(admin)
        .expect(200);
      expect(target.body.items.map((i: { action: string }) => i.action)).toEqual(['package.update', 'package.create']);

      const newest = all.body.items[0] as { created_at: number };
      const none = await t
        .http()
        .get(`/api/admin/audit?to=${newest.created_at - 3600}`)
        .set(admin)
        .expect(200);
      expect(none.body.total).toBe(0);
      const recent = await t.http().get(`/api/admin/audit?from=${newest.created_at}`).set(admin).expect(200);
      expect(recent.body.items[0].id).toBe(all.body.items[0].id);
      const bad = await t.http().get('/api/admin/audit?action=DROP TABLE').set(admin).expect(400);
      expect(bad.body.error.details[0].field).toBe('action');
    });

    it('refuses anyone but an admin', async () => {
      const key = await createApiKey(t, ctx.user);
      secrets.push(key.key);
      await t.http().get('/api/admin/audit').expect(401);
      expectErrorShape(
        (await t.http().get('/api/admin/audit').set(bearer(ctx.user.jwt)).expect(403)).body,
        'forbidden',
      );
      await t.http().get('/api/admin/audit').set(bearer(key.key)).expect(401);
    });

    it('has no way to change or remove a row', async () => {
      const before = await count();
      for (const method of ['put', 'patch', 'delete', 'post'] as const) {
        for (const path of ['/api/admin/audit', '/api/admin/audit/1']) {
          const res = await t.http()[method](path).set(bearer(ctx.admin.jwt)).send({ action: 'x.y' });
          expect([404, 405]).toContain(res.status);
        }
      }
      expect(await count()).toBe(before);
    });
  });

  it('never stores a secret: keys, passwords, hashes, tokens and links stay out of every row', async () => {
    const text = JSON.stringify(await ds.query('SELECT * FROM audit_log'));
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('$argon2');
    expect(text).not.toMatch(/sk-[A-Za-z0-9]{20,}/);
    // What is there instead: masked hints and "is set" flags.
    expect(text).toContain('ak-a…|****');
    expect(text).toContain('dedicated_key_set');
  });
});

describe('audit trail: security events', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await startTestApp({
      env: { JOBS_ENABLED: 'false', RATE_LIMIT_LOGIN_FAILURES: '3', RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '8' },
    });
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const rows = (action: string): Promise<AuditRow[]> =>
    ds.query('SELECT * FROM audit_log WHERE action = ? ORDER BY id', [action]);
  const login = (email: string, password: string, requestId: string) =>
    t.http().post('/api/auth/login').set('X-Request-Id', requestId).send({ email, password });

  it('records a lockout once when it starts, and an address past the login limit once per window', async () => {
    const user = await registerUser(t, 'locked');
    const wrong = 'Wrong-password-attempt-1';
    for (let i = 1; i <= 3; i++) expect((await login(user.email, wrong, `fail-${i}`)).status).toBe(401);
    expect((await login(user.email, user.password, 'while-locked')).status).toBe(429);
    for (let i = 1; i <= 3; i++) await login('nobody@example.test', wrong, `ghost-${i}`);

    const lockouts = await rows('auth.lockout');
    expect(lockouts).toHaveLength(2);
    expect(lockouts[0]).toMatchObject({
      actor_type: 'anonymous',
      actor_id: null,
      target_type: 'user',
      target_id: String(user.id),
      ip: '127.0.0.1',
      request_id: 'fail-3',
    });
    expect(JSON.parse(lockouts[0].after_json!)).toMatchObject({ email: user.email, failures: 3 });
    expect(lockouts[1]).toMatchObject({ target_type: 'email', target_id: 'nobody@example.test' });

    // Seven logins so far; the eighth passes the per-address limit, the ninth is its first refusal.
    await login(user.email, wrong, 'eighth');
    expect((await login(user.email, wrong, 'ninth')).status).toBe(429);
    expect((await login(user.email, wrong, 'tenth')).status).toBe(429);
    const limited = await rows('auth.rate_limited');
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ target_type: 'ip', target_id: '127.0.0.1', request_id: 'ninth' });

    const text = JSON.stringify(await ds.query('SELECT * FROM audit_log'));
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(user.password);
  });
});
