import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /health', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('answers liveness (/health/live) while the database is gone, and readiness (/health) with 503', async () => {
    const lost = await startTestApp({ database: t.database });
    try {
      await lost.app.get(DataSource).destroy();
      await lost.http().get('/health').expect(503);
      expect((await lost.http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    } finally {
      await lost.close();
    }
  });
});

describe('/docs from another machine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('loads over plain HTTP: no upgrade-insecure-requests, no HSTS; HSTS only when the request came over HTTPS', async () => {
    const plain = await t.http().get('/docs').set('x-forwarded-for', '198.51.100.9').expect(200);
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = await t.http().get('/docs').set('x-forwarded-proto', 'https').expect(200);
    expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
