import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  KieCallbackData,
  KieCreateData,
  KieEnvelope,
  KieRecordInfo,
  KieResultJson,
  KieSimulator,
  signKieWebhook,
  startKieSimulator,
  verifyKieWebhook,
} from '../../tools/simulators/kie/kie-simulator';

const KEY = 'kie-test-key-1';
const OTHER = 'kie-test-key-2';
const HMAC_KEY = 'whsec-test-0123456789';

interface Reply<T = unknown> {
  status: number;
  body: KieEnvelope<T>;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// A local receiver for callbacks: records every body and its headers; answers `statuses` in turn, then 200.
class Receiver {
  readonly received: { headers: IncomingHttpHeaders; body: KieEnvelope<KieCallbackData> }[] = [];
  statuses: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as KieEnvelope<KieCallbackData>;
        this.received.push({ headers: req.headers, body });
        res.writeHead(this.statuses.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/cb/kie?token=abc`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const t2v = (prompt: string, input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  model: 'sora-2-text-to-video',
  ...extra,
  input: { prompt, aspect_ratio: 'landscape', n_frames: '10', ...input },
});

describe('KIE.ai Market (Sora 2) simulator', () => {
  let sim: KieSimulator;

  beforeAll(async () => {
    sim = await startKieSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 60 } });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.addKey(KEY);
    sim.addKey(OTHER);
  });

  async function call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    auth: string | null = `Bearer ${KEY}`,
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth !== null) headers.authorization = auth;
    const res = await fetch(sim.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as KieEnvelope<T> };
  }

  const create = (body: unknown, auth?: string) => call<KieCreateData>('POST', '/api/v1/jobs/createTask', body, auth);
  const recordInfo = (taskId: string, auth?: string) =>
    call<KieRecordInfo>('GET', `/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, undefined, auth);

  async function createOk(body: unknown, auth?: string): Promise<string> {
    const r = await create(body, auth);
    expect([r.status, r.body.code, r.body.msg]).toEqual([200, 200, 'success']);
    return r.body.data!.taskId;
  }

  // Polls until the task is terminal; returns the distinct states seen, in order.
  async function follow(taskId: string, auth?: string): Promise<{ seen: string[]; last: KieRecordInfo }> {
    const until = Date.now() + 3000;
    const seen: string[] = [];
    for (;;) {
      const r = await recordInfo(taskId, auth);
      expect([r.status, r.body.code]).toEqual([200, 200]);
      const data = r.body.data!;
      if (seen.at(-1) !== data.state) seen.push(data.state);
      if (data.state === 'success' || data.state === 'fail') return { seen, last: data };
      if (Date.now() > until) throw new Error(`task ${taskId} still ${data.state}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null],
      ['an unknown key', 'Bearer kie-nobody'],
      ['another scheme', `Token ${KEY}`],
    ])('answers HTTP 200 with code 401 for %s', async (_what, auth) => {
      const r = await call('POST', '/api/v1/jobs/createTask', t2v('a cat'), auth);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ code: 401, data: null });
      expect(r.body.msg).toMatch(/access permissions/);
      expect(sim.stats().creates).toBe(0);
    });

    it('records calls with the key, or null when authentication failed', async () => {
      await call('GET', '/api/v1/jobs/recordInfo?taskId=x', undefined, null);
      await call('GET', '/api/v1/chat/credit');
      expect(sim.calls().map((c) => [c.method, c.path, c.query, c.key, c.status, c.code])).toEqual([
        ['GET', '/api/v1/jobs/recordInfo', '?taskId=x', null, 200, 401],
        ['GET', '/api/v1/chat/credit', '', KEY, 200, 200],
      ]);
    });

    it('answers HTTP 404 for a path it does not simulate', async () => {
      const r = await call('GET', '/api/v1/jobs/nothing');
      expect([r.status, r.body.code]).toEqual([404, 404]);
    });
  });

  describe('tasks', () => {
    it('runs a task waiting → generating → success with resultUrls and the charge', async () => {
      // Each state lasts long enough to be seen by a poll on a busy machine (20 ms did not, under CI load).
      sim.setBehavior({ processingAfterMs: 300, completeAfterMs: 600 });
      const body = t2v('a cat surfing', { remove_watermark: true });
      const before = Date.now();
      const taskId = await createOk(body);
      expect(taskId).toMatch(/^[0-9a-f]{32}$/);

      const { seen, last } = await follow(taskId);
      expect(seen).toEqual(['waiting', 'generating', 'success']);
      expect(last).toMatchObject({
        taskId,
        model: 'sora-2-text-to-video',
        state: 'success',
        failCode: '',
        failMsg: '',
        consumeCredits: 30,
      });
      expect(JSON.parse(last.param)).toEqual(body);
      const result = JSON.parse(last.resultJson) as KieResultJson;
      expect(result.resultUrls).toEqual([`https://sim.kie.local/videos/${taskId}.mp4`]);
      expect(last.createTime).toBeGreaterThanOrEqual(before);
      expect(last.completeTime! - last.createTime).toBe(last.costTime);
      expect(sim.stats()).toMatchObject({
        creates: 1,
        maxConcurrentByKey: { [KEY]: 1, [OTHER]: 0 },
        activeByKey: { [KEY]: 0 },
        creditsByKey: { [KEY]: 10_000_000 - 30 },
      });
    });

    it('shows an unfinished task with empty results and null times', async () => {
      sim.setBehavior({ processingAfterMs: 60_000, completeAfterMs: 60_000 });
      const taskId = await createOk(t2v('slow'));
      const r = await recordInfo(taskId);
      expect(r.body.data).toMatchObject({ state: 'waiting', resultJson: '', costTime: null, completeTime: null });
    });

    it('fails a task whose prompt holds the fail word, charging nothing', async () => {
      sim.setKey(KEY, { credits: 1000 });
      const taskId = await createOk({
        model: 'sora-2-pro-text-to-video',
        input: { prompt: 'please SIM_FAIL now', size: 'high', n_frames: '15' },
      });
      expect(sim.stats().creditsByKey[KEY]).toBe(1000 - 630);
      const { last } = await follow(taskId);
      expect(last).toMatchObject({
        state: 'fail',
        resultJson: '',
        failCode: '400',
        failMsg: expect.stringMatching(/content polic/) as string,
        consumeCredits: 0,
      });
      expect(sim.stats().creditsByKey[KEY]).toBe(1000);
    });

    it('refuses a prompt holding the reject word with code 422 and creates nothing', async () => {
      const r = await create(t2v('a SIM_REJECT b'));
      expect([r.status, r.body.code, r.body.data]).toEqual([200, 422, null]);
      expect(r.body.msg).toMatch(/content policy/);
      expect(sim.tasks()).toHaveLength(0);
    });

    it('does not show a task to another key, nor an unknown id', async () => {
      const taskId = await createOk(t2v('mine'));
      const other = await recordInfo(taskId, `Bearer ${OTHER}`);
      expect([other.status, other.body.code, other.body.data]).toEqual([200, 404, null]);
      expect((await recordInfo('0'.repeat(32))).body.code).toBe(404);
      expect((await call('GET', '/api/v1/jobs/recordInfo')).body.code).toBe(422);
      expect((await recordInfo(taskId)).body.code).toBe(200);
    });

    it('completes tasks on demand, and carries many tasks counting concurrency exactly', async () => {
      sim.setBehavior({ completeAfterMs: 60_000 });
      const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => createOk(t2v(`batch ${i}`))));
      expect(sim.stats()).toMatchObject({ maxConcurrentByKey: { [KEY]: 200 }, activeByKey: { [KEY]: 200 } });
      sim.completeTask(ids[0], 'fail', { failCode: '500', failMsg: 'upstream broke' });
      for (const id of ids.slice(1)) sim.completeTask(id, 'success');
      sim.completeTask(ids[1], 'fail'); // already terminal: no-op
      expect(sim.stats()).toMatchObject({ maxConcurrentByKey: { [KEY]: 200 }, activeByKey: { [KEY]: 0 } });
      expect((await recordInfo(ids[0])).body.data).toMatchObject({ state: 'fail', failCode: '500' });
      expect((await recordInfo(ids[1])).body.data).toMatchObject({ state: 'success', consumeCredits: 30 });
    });
  });

  describe('create validation and limits', () => {
    it.each([
      ['an unknown model', { model: 'sora-3', input: { prompt: 'x' } }, 'model'],
      ['a missing input', { model: 'sora-2-text-to-video' }, 'input'],
      ['a missing prompt', { model: 'sora-2-text-to-video', input: {} }, 'input.prompt'],
      ['a too long prompt', t2v('x'.repeat(10_001)), 'input.prompt'],
      ['n_frames "20"', t2v('x', { n_frames: '20' }), 'input.n_frames'],
      ['n_frames as a number', t2v('x', { n_frames: 10 }), 'input.n_frames'],
      ['a bad aspect_ratio', t2v('x', { aspect_ratio: '16:9' }), 'input.aspect_ratio'],
      ['size high on a non-pro model', t2v('x', { size: 'high' }), 'input.size'],
      [
        'image-to-video without image_urls',
        { model: 'sora-2-pro-image-to-video', input: { prompt: 'x' } },
        'input.image_urls',
      ],
      [
        'a non-URL image',
        { model: 'sora-2-image-to-video', input: { prompt: 'x', image_urls: ['nope'] } },
        'image_urls',
      ],
      ['a bad callBackUrl', t2v('x', {}, { callBackUrl: 'ftp://x' }), 'callBackUrl'],
      ['a body that is not JSON', '{not json', 'body'],
    ])('answers code 422 naming the field for %s', async (_what, body, field) => {
      const r = await create(body);
      expect([r.status, r.body.code, r.body.data]).toEqual([200, 422, null]);
      expect(r.body.msg).toContain(field);
      expect(sim.tasks()).toHaveLength(0);
    });

    it('accepts image-to-video with one image and pro sizes', async () => {
      await createOk({
        model: 'sora-2-pro-image-to-video',
        input: { prompt: 'x', image_urls: ['https://example.com/a.png'], size: 'high', aspect_ratio: 'portrait' },
      });
      expect(sim.tasks()).toMatchObject([{ size: 'high', aspect_ratio: 'portrait', price: 330 }]);
    });

    it('answers code 429 past the concurrency limit until a task ends', async () => {
      sim.setBehavior({ completeAfterMs: 60_000 });
      sim.setKey(KEY, { concurrency: 2 });
      const first = await createOk(t2v('one'));
      await createOk(t2v('two'));
      const r = await create(t2v('three'));
      expect([r.status, r.body.code]).toEqual([200, 429]);
      expect((await create(t2v('other key'), `Bearer ${OTHER}`)).body.code).toBe(200);
      sim.completeTask(first, 'success');
      await createOk(t2v('three again'));
      expect(sim.stats().maxConcurrentByKey).toEqual({ [KEY]: 2, [OTHER]: 1 });
    });

    it('answers code 429 past ratePerSecond creates', async () => {
      sim.setKey(KEY, { ratePerSecond: 1 });
      await createOk(t2v('one'));
      expect((await create(t2v('two'))).body.code).toBe(429);
    });

    it('answers code 402 when the credits do not cover the task', async () => {
      sim.setKey(KEY, { credits: 200 });
      await createOk({ model: 'sora-2-pro-text-to-video', input: { prompt: 'x', size: 'standard' } });
      const r = await create({ model: 'sora-2-pro-text-to-video', input: { prompt: 'y' } });
      expect([r.status, r.body.code, r.body.data]).toEqual([200, 402, null]);
      expect(r.body.msg).toMatch(/insufficient/);
      expect((await call<number>('GET', '/api/v1/chat/credit')).body).toEqual({ code: 200, msg: 'success', data: 50 });
      await createOk(t2v('cheap one')); // 30 credits still fit
    });

    it('answers failNextCreates(455, 2) twice with 455 and creates nothing', async () => {
      sim.failNextCreates(455, 2);
      for (let i = 0; i < 2; i++) {
        const r = await create(t2v('flaky'));
        expect([r.status, r.body.code, r.body.data]).toEqual([200, 455, null]);
        expect(r.body.msg).toMatch(/maintenance/);
      }
      expect(sim.tasks()).toHaveLength(0);
      expect(sim.stats().creates).toBe(0);
      await createOk(t2v('flaky'));
    });

    it('uses the code as HTTP status and `message` when asked to', async () => {
      sim.setBehavior({ httpStatusMirrorsCode: true, altMessageField: true });
      sim.failNextCreates(500, 1);
      const res = await fetch(`${sim.url}/api/v1/jobs/createTask`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(t2v('x')),
      });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ code: 500, message: expect.any(String) as string, data: null });
    });
  });

  describe('callbacks', () => {
    let receiver: Receiver;

    beforeEach(async () => {
      receiver = new Receiver();
      await receiver.start();
    });
    afterEach(() => receiver.stop());

    it('posts one signed callback on success that verifies with signKieWebhook', async () => {
      sim.setKey(KEY, { webhookKey: HMAC_KEY });
      const taskId = await createOk(t2v('signed', {}, { callBackUrl: receiver.url }));
      await waitFor(() => receiver.received.length === 1, 'the callback');
      await new Promise((r) => setTimeout(r, 30));
      expect(receiver.received).toHaveLength(1);

      const { headers, body } = receiver.received[0];
      expect(body).toMatchObject({
        code: 200,
        msg: 'Playground task completed successfully.',
        data: { taskId, state: 'success', failCode: '', failMsg: '', consumeCredits: 30, remainedCredits: 9_999_970 },
      });
      expect((JSON.parse(body.data!.resultJson) as KieResultJson).resultUrls).toHaveLength(1);
      expect(JSON.parse(body.data!.param)).toMatchObject({ callBackUrl: receiver.url });

      const timestamp = headers['x-webhook-timestamp'] as string;
      const signature = headers['x-webhook-signature'] as string;
      expect(timestamp).toMatch(/^\d{10}$/);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
      expect(signature).toBe(signKieWebhook(HMAC_KEY, taskId, timestamp));
      expect(verifyKieWebhook(HMAC_KEY, body.data!.taskId, timestamp, signature)).toBe(true);
      expect(verifyKieWebhook('wrong-key', taskId, timestamp, signature)).toBe(false);
      expect(verifyKieWebhook(HMAC_KEY, taskId, String(Number(timestamp) - 3600), signature)).toBe(false);
    });

    it('posts an unsigned failure callback with code 501, and retries a receiver that answers 500', async () => {
      sim.setBehavior({ callbackRetries: 2, callbackRetryDelayMs: 10 });
      receiver.statuses = [500];
      const taskId = await createOk(t2v('SIM_FAIL', {}, { callBackUrl: receiver.url }));
      await waitFor(() => receiver.received.length === 2, 'the retried callback');
      for (const { headers, body } of receiver.received) {
        expect(headers['x-webhook-signature']).toBeUndefined();
        expect(body).toMatchObject({ code: 501, data: { taskId, state: 'fail', failCode: '400', consumeCredits: 0 } });
      }
      expect(sim.stats().callbacksSent).toBe(2);
    });

    it('sends callbackCopies copies, or none under dropCallbacks', async () => {
      sim.setBehavior({ callbackCopies: 3 });
      await createOk(t2v('thrice', {}, { callBackUrl: receiver.url }));
      await waitFor(() => receiver.received.length === 3, 'three callbacks');
      sim.setBehavior({ dropCallbacks: true, callbackCopies: 1 });
      const dropped = await createOk(t2v('never', {}, { callBackUrl: receiver.url }));
      await follow(dropped);
      await new Promise((r) => setTimeout(r, 30));
      expect(receiver.received).toHaveLength(3);
    });
  });

  it('drives keys, behavior, failures and tasks over /__control', async () => {
    const control = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sim.url}/__control${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const HTTP_KEY = 'Bearer kie-http';

    expect((await control('POST', '/keys', { key: 'kie-http', credits: 0 })).status).toBe(201);
    expect((await create(t2v('x'), HTTP_KEY)).body.code).toBe(402);
    expect((await control('PATCH', '/keys/kie-http', { credits: 100, concurrency: 5 })).status).toBe(200);
    expect((await control('PATCH', '/keys/kie-http', { bogus: 1 })).status).toBe(400);

    const patched = await control('PATCH', '/behavior', { completeAfterMs: 60_000, rejectWord: 'NOPE' });
    expect(patched).toMatchObject({ status: 200, body: { completeAfterMs: 60_000, rejectWord: 'NOPE' } });
    expect((await create(t2v('NOPE'), HTTP_KEY)).body.code).toBe(422);

    expect((await control('POST', '/fail-next-creates', { code: 501, count: 1 })).status).toBe(200);
    expect((await create(t2v('x'), HTTP_KEY)).body.code).toBe(501);
    expect((await control('POST', '/fail-next-creates', { code: 404, count: 1 })).status).toBe(400);

    const taskId = await createOk(t2v('slow one'), HTTP_KEY);
    const done = await control('POST', `/tasks/${taskId}/complete`, { outcome: 'fail', failMsg: 'nope' });
    expect(done).toMatchObject({ status: 200, body: { taskId, state: 'fail', failMsg: 'nope' } });
    expect((await recordInfo(taskId, HTTP_KEY)).body.data).toMatchObject({ state: 'fail', failMsg: 'nope' });

    expect((await control('GET', '/stats')).body).toMatchObject({
      creates: 1,
      queries: 1,
      maxConcurrentByKey: { 'kie-http': 1 },
      creditsByKey: { 'kie-http': 100 },
    });
    const calls = (await (await fetch(`${sim.url}/__control/calls`)).json()) as unknown[];
    expect(calls).toHaveLength(5); // control calls are not recorded
    expect((await control('GET', '/tasks')).status).toBe(200);

    expect((await control('PATCH', '/behavior', { completeAfterMs: -1 })).status).toBe(400);
    expect((await control('POST', '/tasks/nope/complete', { outcome: 'success' })).status).toBe(404);
    await control('POST', '/reset');
    expect(sim.behavior().completeAfterMs).toBe(60);
    expect(sim.tasks()).toHaveLength(0);
    expect(sim.stats().creditsByKey['kie-http']).toBe(100);
  });
});
