import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, registerUser } from '../helpers/factories';
import { ensureConsoleBuilt } from '../helpers/console-build';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('the console is served by the same process at /', () => {
  let t: TestApp;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestApp();
  }, 180_000);
  afterAll(() => t.close());

  it('serves index.html at / and at deep links, never cached, under the CSP', async () => {
    for (const path of ['/', '/login', '/admin/channels', '/batches/b_123?x=1', '/set-password']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toContain('<div id="root"></div>');
    }
  });

  it('serves the hashed assets index.html names, cached for good', async () => {
    const html = (await t.http().get('/').expect(200)).text;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    expect(script).toBeDefined();
    const res = await t.http().get(script).expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http().get('/favicon.svg').expect(200);
  });

  it('keeps every API surface as it was: unknown API paths are JSON 404s, not the console', async () => {
    for (const path of [
      '/api/nope',
      '/api',
      '/kling/v1/nope',
      '/kie/nope',
      '/media/x/y',
      '/health/x',
      '/docs/nope.js',
      '/assets/missing.js',
      '/logo.png',
    ]) {
      const res = await t.http().get(path).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expectErrorShape(res.body, 'route_not_found');
    }
    // A single segment under /media is a signed link: a bad one is a JSON 403, never the console.
    const badLink = await t.http().get('/media/x').expect(403);
    expect(badLink.headers['content-type']).toMatch(/application\/json/);
    // Under /v1 (OpenAI's surface) the 404 is in OpenAI's shape.
    const openAi = await t.http().get('/v1/nope').expect(404);
    expect(openAi.body.error).toMatchObject({ type: 'invalid_request_error', code: 'route_not_found' });
    await t.http().get('/health').expect(200);
    await t.http().get('/docs-json').expect(200);
    expect((await t.http().get('/docs').expect(200)).text).toContain('swagger');
    const u = await registerUser(t);
    await t.http().get('/api/users/me').set(bearer(u.jwt)).expect(200);
    await t.http().post('/api/nope').expect(404);
  });

  it("serves the batch plan limits a customer's console shows", async () => {
    const u = await registerUser(t, 'limits');
    const res = await t.http().get('/api/v1/workflow/limits').set(bearer(u.jwt)).expect(200);
    expect(res.body).toEqual({ plan: 'free', concurrency: 1, max_batch_rows: 5 });
    const admin = await loginAdmin(t);
    await t.http().patch(`/api/admin/users/${u.id}`).set(bearer(admin.jwt)).send({ plan: 'pro' }).expect(200);
    await t
      .http()
      .put('/api/admin/batch/config')
      .set(bearer(admin.jwt))
      .send({ plans: { pro: { max_batch_rows: 40 } } })
      .expect(200);
    const pro = await t.http().get('/api/v1/workflow/limits').set(bearer(u.jwt)).expect(200);
    expect(pro.body).toEqual({ plan: 'pro', concurrency: 3, max_batch_rows: 40 });
    await t.http().get('/api/v1/workflow/limits').expect(401);
  });
});
