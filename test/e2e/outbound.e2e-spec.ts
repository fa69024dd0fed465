import type { LookupAddress } from 'node:dns';
import { createServer as createHttpServer, Server as HttpServer } from 'node:http';
import { AddressInfo, createServer, Server } from 'node:net';
import { HostResolver } from '../../src/common/outbound/outbound-guard.service';
import { loadConfig } from '../../src/config/load-config';
import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin, TestUser } from '../helpers/factories';
import { FORBIDDEN_URLS } from '../helpers/outbound-payloads';
import { startTestApp, TestApp } from '../helpers/test-app';

// A resolver the test controls: names resolve wherever the test says, and can change their
// answer between the config-time check and the connection (DNS rebinding).
class FakeResolver extends HostResolver {
  readonly names = new Map<string, string[]>();
  override lookup(hostname: string): Promise<LookupAddress[]> {
    const addresses = this.names.get(hostname.toLowerCase());
    if (!addresses) return Promise.reject(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }
}

const listen = <T extends Server | HttpServer>(s: T) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

describe('outbound URL policy', () => {
  let t: TestApp;
  let admin: TestUser;
  let resolver: FakeResolver;
  // What must never be reached: a loopback listener that counts connections.
  let victim: Server;
  let victimPort: number;
  let victimConnections = 0;
  // An allow-listed upstream that redirects to the victim and leaks a marker in its bodies.
  let upstream: HttpServer;
  let upstreamPort: number;
  let upstreamRequests = 0;
  const MARKER = 'INTERNAL-ONLY-7f3a';

  beforeAll(async () => {
    victim = createServer((sock) => {
      victimConnections++;
      sock.destroy();
    });
    victimPort = await listen(victim);
    upstream = createHttpServer((req, res) => {
      upstreamRequests++;
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: `http://127.0.0.1:${victimPort}/stolen` });
        res.end(MARKER);
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 5000, message: `${MARKER} internal config dump`, data: { secret: MARKER } }));
    });
    upstreamPort = await listen(upstream);
    resolver = new FakeResolver();
    t = await startTestApp({
      env: { OUTBOUND_ALLOW_HOSTS: `127.0.0.1:${upstreamPort}` },
      override: (b) => b.overrideProvider(HostResolver).useValue(resolver),
    });
    admin = await loginAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    victim.close();
    upstream.close();
  });

  const createChannel = (baseUrl: string) =>
    t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'probe', type: 'viva', base_url: baseUrl, key: 'viva-key', models: ['veo3'] });
  const testChannel = (id: number) =>
    t.http().post(`/api/admin/channels/${id}/test`).set(bearer(admin.jwt)).expect(200);

  it(`refuses ${FORBIDDEN_URLS.length} hostile base URLs with a 400 naming base_url, and reaches none`, async () => {
    expect(FORBIDDEN_URLS.length).toBeGreaterThanOrEqual(40);
    for (const url of FORBIDDEN_URLS) {
      const res = await createChannel(url);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expectErrorShape(res.body, 'validation_failed');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['base_url']);
    }
    // The same on update.
    const ok = await createChannel(`http://127.0.0.1:${upstreamPort}`).expect(201);
    for (const url of FORBIDDEN_URLS.slice(0, 10)) {
      const res = await t
        .http()
        .patch(`/api/admin/channels/${ok.body.id}`)
        .set(bearer(admin.jwt))
        .send({ base_url: url });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
    }
    expect(victimConnections).toBe(0);
  });

  it('refuses DNS names that resolve to loopback, metadata or private addresses', async () => {
    resolver.names.set('loopback.example', ['127.0.0.1']);
    resolver.names.set('metadata.example', ['169.254.169.254']);
    resolver.names.set('mixed.example', ['93.184.216.34', '10.0.0.7']);
    resolver.names.set('v6.example', ['::1']);
    for (const host of ['loopback.example', 'metadata.example', 'mixed.example', 'v6.example']) {
      const res = await createChannel(`https://${host}`).expect(400);
      expect(res.body.error.details[0]).toEqual({ field: 'base_url', message: expect.stringContaining('resolves to') });
    }
  });

  it('checks addresses again at connect time, so a name rebound to loopback reaches nothing', async () => {
    resolver.names.set('rebind.example', ['93.184.216.34']);
    const created = await createChannel(`http://rebind.example:${victimPort}`).expect(201);
    resolver.names.set('rebind.example', ['127.0.0.1']);
    const res = await testChannel(created.body.id);
    expect(res.body).toMatchObject({ ok: false });
    expect(victimConnections).toBe(0);
  });

  it('follows no redirect: an allowed upstream redirecting to loopback gets its own answer only', async () => {
    const before = upstreamRequests;
    const created = await createChannel(`http://127.0.0.1:${upstreamPort}/redirect`).expect(201);
    const res = await testChannel(created.body.id);
    expect(res.body.ok).toBe(false);
    expect(upstreamRequests).toBe(before + 1);
    expect(victimConnections).toBe(0);
  });

  it("answers a channel test with a summary, never the target's body", async () => {
    const created = await createChannel(`http://127.0.0.1:${upstreamPort}`).expect(201);
    const res = await testChannel(created.body.id);
    expect(res.body).toEqual({
      ok: false,
      message: expect.stringMatching(/^VivaAPI refused or could not be reached/),
      details: { category: expect.any(String), code: expect.anything() },
    });
    expect(JSON.stringify(res.body)).not.toContain(MARKER);
  });

  it('refuses an alert webhook on a loopback address at start, unless allow-listed', () => {
    const env = { DATA_DIR: t.config.dataDir, ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/hook' };
    expect(() => loadConfig(env)).toThrow(/ALERT_WEBHOOK_URL points at a loopback address/);
    expect(loadConfig({ ...env, OUTBOUND_ALLOW_HOSTS: '127.0.0.1:9' }).alertWebhookUrl).toBe(env.ALERT_WEBHOOK_URL);
  });
});
