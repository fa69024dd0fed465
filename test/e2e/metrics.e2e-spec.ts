import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { BatchMetrics } from '../../src/batch/batch-metrics';
import { MAX_CHANNELS, MAX_MODELS, Metrics } from '../../src/metrics/metrics.service';
import { bearer, createApiKey, registerUser } from '../helpers/factories';
import { expectErrorShape } from '../helpers/error-shape';
import { freePort } from '../../tools/common/http-client';
import { startTestApp, TestApp } from '../helpers/test-app';
import { testDbKind } from '../helpers/test-db';
import { named, parsePrometheus as parse, Series } from '../helpers/prometheus';

const TOKEN = 'metrics-token-0123456789abcdef';

const randomId = () => `kling_${randomBytes(12).toString('hex')}`;

describe('Prometheus metrics', () => {
  let t: TestApp;
  const scrape = async (): Promise<Series[]> => {
    const res = await t.http().get('/metrics').set(bearer(TOKEN)).expect(200);
    return parse(res.text);
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  it('refuses a scrape without the token or with a wrong one (401 in the API error shape)', async () => {
    const missing = await t.http().get('/metrics').expect(401);
    expectErrorShape(missing.body, 'unauthenticated');
    const wrong = await t
      .http()
      .get('/metrics')
      .set(bearer(`${TOKEN}x`))
      .expect(401);
    expectErrorShape(wrong.body, 'unauthenticated');
    expect(wrong.text).not.toContain('process_cpu');
  });

  it('serves the text format with the process defaults and the database connections', async () => {
    const res = await t.http().get('/metrics').set(bearer(TOKEN)).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const all = parse(res.text);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(named(all, name)).toHaveLength(1);
    }
    const pool = (name: string) => named(all, `reelay_db_connections_${name}`)[0].value;
    if (testDbKind() === 'mysql') {
      expect(pool('max')).toBe(20); // DB_POOL_SIZE's default
      expect(pool('in_use') + pool('idle')).toBeGreaterThanOrEqual(1);
    } else {
      expect(pool('max')).toBe(1); // SQLite: one connection, work queued behind it
    }
    expect(pool('waiting')).toBeGreaterThanOrEqual(0);
  });

  it('times HTTP requests by route template, method and status — never by the raw URL', async () => {
    const user = await registerUser(t);
    const { key } = await createApiKey(t, user);
    const ids = Array.from({ length: 5 }, randomId);
    for (const id of ids) await t.http().get(`/kling/v1/videos/${id}`).set(bearer(key)).expect(404);
    await t.http().get(`/api/no/such/page/${randomId()}`).expect(404);

    const res = await t.http().get('/metrics').set(bearer(TOKEN)).expect(200);
    for (const id of ids) expect(res.text).not.toContain(id);
    const counts = named(parse(res.text), 'reelay_http_request_duration_seconds_count');
    const find = (labels: Record<string, string>) =>
      counts.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(find({ method: 'GET', route: '/kling/v1/videos/:task_id', status: '404' })?.value).toBe(5);
    expect(find({ method: 'POST', route: '/api/auth/register', status: '201' })?.value).toBeGreaterThanOrEqual(1);
    expect(find({ method: 'GET', route: 'unmatched', status: '404' })?.value).toBeGreaterThanOrEqual(1);
    expect(named(parse(res.text), 'reelay_http_request_duration_seconds_bucket').length).toBeGreaterThan(counts.length);
  });

  it('keeps the number of HTTP series fixed however many distinct ids are requested', async () => {
    const user = await registerUser(t);
    const { key } = await createApiKey(t, user);
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await t.http().get(`/kling/v1/videos/${randomId()}`).set(bearer(key)).expect(404);
        await t.http().get(`/api/unknown/${randomId()}`).expect(404);
        await t.http().get(`/kling/v1/videos/${randomId()}`).expect(401);
      }
    };
    await round(1);
    const before = named(await scrape(), 'reelay_http_request_duration_seconds_count').length;
    await round(150);
    const after = named(await scrape(), 'reelay_http_request_duration_seconds_count');
    expect(after).toHaveLength(before);
  });

  it('bounds the labels modules report: 1,000 tasks over distinct models and channels stay under the caps', async () => {
    const metrics = t.app.get(Metrics);
    for (let i = 0; i < 1000; i++) {
      const model = `model-${i}`;
      metrics.taskCreated({ provider: 'kling', model, outcome: 'accepted' });
      metrics.taskFinished({
        provider: 'kling',
        model,
        outcome: 'succeeded',
        settledBy: 'callback',
        durationSeconds: 42,
      });
      metrics.upstreamCall({ provider: 'kie', channelId: i + 1, operation: 'query', seconds: 0.2, error: 'timeout' });
    }
    // A value outside a closed list (say a provider added later) is reported as `other`.
    metrics.taskCreated({ provider: 'sora-direct' as never, model: 'x y z', outcome: 'accepted' });

    const all = await scrape();
    const created = named(all, 'reelay_tasks_created_total');
    expect(new Set(created.map((s) => s.labels.model)).size).toBeLessThanOrEqual(MAX_MODELS + 1);
    expect(created.reduce((sum, s) => sum + s.value, 0)).toBe(1001);
    expect(created.find((s) => s.labels.provider === 'other')?.labels.model).toBe('other');
    const finished = named(all, 'reelay_tasks_finished_total');
    expect(finished.length).toBeLessThanOrEqual(MAX_MODELS + 1);
    expect(finished.find((s) => s.labels.model === 'other')).toMatchObject({
      labels: { provider: 'kling', outcome: 'succeeded', settled_by: 'callback' },
      value: 1000 - MAX_MODELS,
    });
    const errors = named(all, 'reelay_upstream_errors_total');
    expect(errors.length).toBeLessThanOrEqual(MAX_CHANNELS + 1);
    expect(errors.reduce((sum, s) => sum + s.value, 0)).toBe(1000);
    expect(named(all, 'reelay_task_duration_seconds_count').reduce((sum, s) => sum + s.value, 0)).toBe(1000);
  });

  it('reports credits in credits, converted from quota units', async () => {
    const metrics = t.app.get(Metrics);
    metrics.credits({ movement: 'held', provider: 'kie', quota: 405_600 });
    metrics.credits({ movement: 'captured', provider: 'kie', quota: 405_600 });
    metrics.credits({ movement: 'released', provider: 'kie', quota: 0 }); // nothing moved: no sample
    const credits = named(await scrape(), 'reelay_credits_total').filter((s) => s.labels.provider === 'kie');
    expect(credits.map((s) => [s.labels.movement, s.value]).sort()).toEqual([
      ['captured', 405.6],
      ['held', 405.6],
    ]);
  });

  it('refreshes gauges from collectors at each scrape, and still answers when one of them fails', async () => {
    const metrics = t.app.get(Metrics);
    // The engine's own collector sets this gauge from the database; take it out for this test.
    const engine = t.app.get(BatchMetrics);
    engine.onModuleDestroy();
    let inFlight = 3;
    const off = metrics.onCollect(() => metrics.setBatchRunning('pro', inFlight));
    const offBroken = metrics.onCollect(() => Promise.reject(new Error('database down')));
    try {
      const gauge = async () =>
        named(await scrape(), 'reelay_batch_running_items').find((s) => s.labels.plan === 'pro')?.value;
      expect(await gauge()).toBe(3);
      inFlight = 7;
      expect(await gauge()).toBe(7);
    } finally {
      off();
      offBroken();
      engine.onModuleInit();
    }
  });

  it('exports every metric the Grafana dashboard and the alert rules in docs/ use', async () => {
    const docs = join(__dirname, '..', '..', 'docs');
    const dashboard = JSON.parse(readFileSync(join(docs, 'grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const rules = parseYaml(readFileSync(join(docs, 'prometheus-alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ expr: string }> }>;
    };
    const exprs = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    const used = new Set(exprs.flatMap((e) => e.match(/\b(?:reelay|process|nodejs)_[a-z0-9_]+/g) ?? []));
    const text = (await t.http().get('/metrics').set(bearer(TOKEN)).expect(200)).text;
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
    const exported = (name: string) => {
      if (types.has(name)) return true;
      const base = name.replace(/_(bucket|count|sum)$/, '');
      return base !== name && types.get(base) === 'histogram';
    };
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !exported(name))).toEqual([]);
  });

  describe('with METRICS_PORT', () => {
    let p: TestApp;
    let metricsUrl: string;
    beforeAll(async () => {
      const port = await freePort();
      metricsUrl = `http://127.0.0.1:${port}`;
      p = await startTestApp({ env: { METRICS_PORT: String(port), METRICS_TOKEN: TOKEN, HOST: '127.0.0.1' } });
    });
    afterAll(() => p.close());

    it('serves metrics on that port only, still behind the token', async () => {
      const main = await p.http().get('/metrics').set(bearer(TOKEN)).expect(404);
      expectErrorShape(main.body, 'route_not_found');
      const res = await request(metricsUrl).get('/metrics').set(bearer(TOKEN)).expect(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(named(parse(res.text), 'process_cpu_user_seconds_total')).toHaveLength(1);
      expectErrorShape((await request(metricsUrl).get('/metrics').expect(401)).body, 'unauthenticated');
      await request(metricsUrl).get('/health').expect(404);
      await request(metricsUrl).post('/metrics').set(bearer(TOKEN)).expect(405);
    });
  });

  it('is not served at all without METRICS_TOKEN or METRICS_PORT', async () => {
    const bare = await startTestApp({ database: t.database });
    try {
      expectErrorShape((await bare.http().get('/metrics').expect(404)).body, 'route_not_found');
    } finally {
      await bare.close();
    }
  });
});
