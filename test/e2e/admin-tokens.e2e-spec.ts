import { expectErrorShape } from '../helpers/error-shape';
import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

// Operators see a user's API keys and revoke one for them (users page: "keys").
describe("admin: a user's API keys", () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOBS_ENABLED: 'false' } });
    admin = await loginAdmin(t);
  });
  afterAll(() => t.close());

  const as = (u: TestUser) => ({
    get: (p: string) => t.http().get(p).set(bearer(u.jwt)),
    del: (p: string) => t.http().delete(p).set(bearer(u.jwt)),
  });

  it("lists one user's keys by prefix only, never another user's", async () => {
    const u = await registerUser(t);
    const other = await registerUser(t);
    const key = await createApiKey(t, u, 'ci key');
    await createApiKey(t, other, 'not theirs');

    const res = await as(admin).get(`/api/admin/users/${u.id}/tokens`).expect(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items[0]).toMatchObject({ id: key.id, name: 'ci key', status: 'active' });
    expect(key.key.startsWith(res.body.items[0].key_prefix)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(key.key);
    await as(admin).get('/api/admin/users/999999999/tokens').expect(404);
  });

  it('revokes a key (401 from then on), audited once with the admin as actor; replaying it changes nothing', async () => {
    const u = await registerUser(t);
    const key = await createApiKey(t, u, 'leaked');
    await t.http().get('/api/billing/balance').set(bearer(key.key)).expect(200);

    await as(admin).del(`/api/admin/users/${u.id}/tokens/${key.id}`).expect(204);
    await as(admin).del(`/api/admin/users/${u.id}/tokens/${key.id}`).expect(204);
    await t.http().get('/api/billing/balance').set(bearer(key.key)).expect(401);
    const listed = await as(admin).get(`/api/admin/users/${u.id}/tokens`).expect(200);
    expect(listed.body.items[0]).toMatchObject({ id: key.id, status: 'revoked' });

    const audit = await as(admin).get(`/api/admin/audit?action=token.revoke&target_id=${key.id}`).expect(200);
    expect(audit.body.total).toBe(1);
    expect(audit.body.items[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'api_token',
      before: { user_id: u.id, name: 'leaked', status: 'active' },
      after: { status: 'revoked' },
    });
  });

  it("cannot touch another user's keys: a non-admin gets 403 and the key keeps working; a key of another user is 404", async () => {
    const u = await registerUser(t);
    const mallory = await registerUser(t);
    const key = await createApiKey(t, u);
    expectErrorShape((await as(mallory).get(`/api/admin/users/${u.id}/tokens`).expect(403)).body, 'forbidden');
    await as(mallory).del(`/api/admin/users/${u.id}/tokens/${key.id}`).expect(403);
    await as(u).get(`/api/admin/users/${u.id}/tokens`).expect(403);
    await t.http().get('/api/billing/balance').set(bearer(key.key)).expect(200);
    // Through the admin route, a key is found only under its own user.
    await as(admin).del(`/api/admin/users/${mallory.id}/tokens/${key.id}`).expect(404);
    await t.http().get('/api/billing/balance').set(bearer(key.key)).expect(200);
  });

  it('names the field of a bad id or page', async () => {
    for (const [path, field] of [
      ['/api/admin/users/abc/tokens', 'id'],
      ['/api/admin/users/1/tokens?page_size=0', 'page_size'],
    ]) {
      const res = await as(admin).get(path).expect(400);
      expectErrorShape(res.body);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const res = await as(admin).del('/api/admin/users/1/tokens/x').expect(400);
    expect(res.body.error.details[0].field).toBe('token_id');
  });
});
