import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import {
  KlingEnvelope,
  KlingSimulator,
  KlingTaskObject,
  startKlingSimulator,
} from '../../tools/simulators/kling/kling-simulator';

const AK = 'test-ak';
const SK = 'test-sk-0123456789';

interface Reply<T = unknown> {
  status: number;
  body: KlingEnvelope<T>;
}

interface CreateData {
  task_id: string;
  task_status: string;
  task_info: { external_task_id?: string };
  created_at: number;
  updated_at: number;
}

const now = () => Math.floor(Date.now() / 1000);

function sign(claims: { iss?: string; exp?: number; nbf?: number } = {}, sk = SK): Promise<string> {
  const { iss = AK, exp = now() + 1800, nbf = now() - 5 } = claims;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(iss)
    .setExpirationTime(exp)
    .setNotBefore(nbf)
    .sign(new TextEncoder().encode(sk));
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// A local receiver for callbacks: records every body it is sent.
class Receiver {
  readonly bodies: (KlingTaskObject | KlingEnvelope<KlingTaskObject>)[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as KlingTaskObject);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/kling?token=abc`;
  }

  statuses(): string[] {
    return this.bodies.map((b) => ('data' in b ? b.data! : (b as KlingTaskObject)).task_status);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe('Kling simulator', () => {
  let sim: KlingSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startKlingSimulator({ behavior: { processingAfterMs: 20, completeAfterMs: 60 } });
    sim.addKey(AK, SK);
    token = await sign();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  async function call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    auth: string | null = `Bearer ${token}`,
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth !== null) headers.authorization = auth;
    const res = await fetch(sim.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as KlingEnvelope<T> };
  }

  const create = (kind: string, body: Record<string, unknown>, auth?: string) =>
    call<CreateData>('POST', `/v1/videos/${kind}`, body, auth);
  const query = (path: string, auth?: string) => call<KlingTaskObject>('GET', path, undefined, auth);

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null, 1001],
      ['a header that is not a Bearer JWT', 'Bearer not-a-jwt', 1002],
      ['another scheme', 'Token abc.def.ghi', 1002],
    ])('answers 401 for %s', async (_what, auth, code) => {
      const r = await call('GET', '/v1/videos/text2video', undefined, auth);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe(code);
    });

    it('answers 1000 for an unknown access key and for a wrong secret', async () => {
      for (const t of [await sign({ iss: 'nobody' }), await sign({}, 'wrong-secret')]) {
        const r = await call('GET', '/v1/videos/text2video', undefined, `Bearer ${t}`);
        expect([r.status, r.body.code]).toEqual([401, 1000]);
      }
    });

    it('answers 1003 for a token not yet valid and 1004 for an expired one', async () => {
      const early = await call('GET', '/v1/videos/text2video', undefined, `Bearer ${await sign({ nbf: now() + 60 })}`);
      expect([early.status, early.body.code]).toEqual([401, 1003]);
      const late = await call('GET', '/v1/videos/text2video', undefined, `Bearer ${await sign({ exp: now() - 1 })}`);
      expect([late.status, late.body.code]).toEqual([401, 1004]);
    });

    it('answers 429 on every call for a key whose account is exhausted', async () => {
      sim.setKey(AK, { state: 'exhausted' });
      try {
        const r = await create('text2video', { prompt: 'a cat' });
        expect([r.status, r.body.code]).toEqual([429, 1102]);
      } finally {
        sim.setKey(AK, { state: 'ok' });
      }
    });

    it('records calls with the verified access key, or null when auth failed', async () => {
      await call('GET', '/v1/videos/text2video', undefined, null);
      await call('GET', '/v1/videos/text2video?pageNum=1&pageSize=10');
      expect(sim.calls().map((c) => [c.path, c.query, c.ak, c.status, c.code])).toEqual([
        ['/v1/videos/text2video', '', null, 401, 1001],
        ['/v1/videos/text2video', '?pageNum=1&pageSize=10', AK, 200, 0],
      ]);
    });
  });

  describe('text2video lifecycle', () => {
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = new Receiver();
      await receiver.start();
    });
    afterEach(() => receiver.stop());

    it('creates a task, runs it to succeed, serves it by task id and by external id, and calls back bare', async () => {
      const r = await create('text2video', {
        model_name: 'kling-v1-6',
        prompt: 'a cat surfing',
        mode: 'pro',
        duration: '10',
        aspect_ratio: '9:16',
        external_task_id: 'ext-1',
        callback_url: receiver.url,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ code: 0, message: 'SUCCEED', data: { task_status: 'submitted' } });
      const data = r.body.data!;
      expect(data.task_id).toMatch(/^\d{18,19}$/);
      expect(data.task_info).toEqual({ external_task_id: 'ext-1' });
      expect(typeof data.created_at).toBe('number');

      await waitFor(() => receiver.statuses().includes('succeed'), 'the succeed callback');
      expect(receiver.statuses()).toEqual(['submitted', 'processing', 'succeed']);
      const last = receiver.bodies[2] as KlingTaskObject;
      expect(last.task_id).toBe(data.task_id);
      expect(last.task_result!.videos[0].url).toMatch(/^https:\/\/sim\.klingai\.local\/videos\/.+\.mp4$/);

      const byId = await query(`/v1/videos/text2video/${data.task_id}`);
      expect(byId.status).toBe(200);
      expect(byId.body.data).toMatchObject({
        task_id: data.task_id,
        task_status: 'succeed',
        task_info: { external_task_id: 'ext-1' },
        final_unit_deduction: '7', // kling-v1-6 pro, 10 s
      });
      expect(byId.body.data!.task_result!.videos[0].duration).toMatch(/^10(\.\d+)?$/);
      expect((await query('/v1/videos/text2video/ext-1')).body.data!.task_id).toBe(data.task_id);
      // As documented, the list route does not look tasks up: a query string for it is refused.
      const listed = await query('/v1/videos/text2video?external_task_id=ext-1');
      expect([listed.status, listed.body.code]).toEqual([400, 1201]);

      // Other kinds and unknown ids are not found.
      expect((await query(`/v1/videos/image2video/${data.task_id}`)).body.code).toBe(1203);
      const missing = await query('/v1/videos/text2video/123');
      expect([missing.status, missing.body.code]).toEqual([404, 1203]);

      const list = await call<KlingTaskObject[]>('GET', '/v1/videos/text2video?pageNum=1&pageSize=30');
      expect(list.body.data!.map((t) => t.task_id)).toEqual([data.task_id]);
      expect((await call('GET', '/v1/videos/text2video?pageSize=501')).body.code).toBe(1201);
      expect(sim.stats()).toMatchObject({ creates: 1, callbacksSent: 3, maxConcurrentByKey: { [AK]: 1 } });
    });

    it('pages lists newest first and leaves out a task it was told to omit, which its own query still finds', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await create('text2video', { prompt: `listed ${i}` })).body.data!.task_id);
      const page = async (n: number) =>
        (await call<KlingTaskObject[]>('GET', `/v1/videos/text2video?pageNum=${n}&pageSize=2`)).body.data!.map(
          (t) => t.task_id,
        );
      expect([await page(1), await page(2), await page(3)]).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
      sim.omitFromList(ids[3]);
      // Pages stay full: the omitted task is gone, not a hole.
      expect([await page(1), await page(2)]).toEqual([
        [ids[4], ids[2]],
        [ids[1], ids[0]],
      ]);
      expect((await query(`/v1/videos/text2video/${ids[3]}`)).body.data!.task_id).toBe(ids[3]);
      expect(sim.stats()).toMatchObject({ listPages: 5, queries: 6 });
      sim.failNextLists(1);
      const failed = await call('GET', '/v1/videos/text2video?pageNum=1&pageSize=2');
      expect([failed.status, failed.body.code]).toEqual([500, 5000]);
      expect(await page(1)).toEqual([ids[4], ids[2]]);
    });

    it('wraps callbacks in the envelope when asked to', async () => {
      sim.setBehavior({ wrapCallbacks: true });
      const r = await create('text2video', { prompt: 'wrapped', callback_url: receiver.url });
      await waitFor(() => receiver.statuses().includes('succeed'), 'the succeed callback');
      const last = receiver.bodies.at(-1) as KlingEnvelope<KlingTaskObject>;
      expect(last).toMatchObject({ code: 0, message: 'SUCCEED', data: { task_id: r.body.data!.task_id } });
      expect(typeof last.request_id).toBe('string');
    });

    it('sends terminalCallbackCopies copies of the terminal callback', async () => {
      sim.setBehavior({ terminalCallbackCopies: 5 });
      await create('text2video', { prompt: 'five times', callback_url: receiver.url });
      await waitFor(() => receiver.statuses().filter((s) => s === 'succeed').length === 5, 'five callbacks');
      await new Promise((r) => setTimeout(r, 50));
      expect(receiver.statuses()).toEqual(['submitted', 'processing', ...Array<string>(5).fill('succeed')]);
    });

    it('fails a task whose prompt holds the fail word, with the risk-control message', async () => {
      const r = await create('text2video', { prompt: 'please SIM_FAIL', callback_url: receiver.url });
      await waitFor(() => receiver.statuses().includes('failed'), 'the failed callback');
      const t = await query(`/v1/videos/text2video/${r.body.data!.task_id}`);
      expect(t.body.data).toMatchObject({
        task_status: 'failed',
        task_status_msg: 'Failure to pass the risk control system',
        final_unit_deduction: '0',
      });
      expect(t.body.data!.task_result).toBeUndefined();
    });

    it('survives a callback receiver that refuses connections', async () => {
      await receiver.stop();
      const r = await create('text2video', { prompt: 'nobody listens', callback_url: receiver.url });
      await waitFor(() => sim.stats().callbacksSent === 3, 'three attempted callbacks');
      expect((await query(`/v1/videos/text2video/${r.body.data!.task_id}`)).body.data!.task_status).toBe('succeed');
      await receiver.start();
    });
  });

  describe('create errors', () => {
    it('refuses a prompt with the reject word with 400/1301 and creates no task', async () => {
      const r = await create('text2video', { prompt: 'SIM_REJECT this' });
      expect([r.status, r.body.code]).toEqual([400, 1301]);
      expect(sim.tasks()).toHaveLength(0);
    });

    it.each([
      ['text2video', { prompt: 'x', duration: 5 }, 'duration'],
      ['text2video', { prompt: 'x', aspect_ratio: '21:9' }, 'aspect_ratio'],
      ['text2video', { prompt: 'x', model_name: 'kling-v2-1' }, 'model_name'],
      ['text2video', { duration: '5' }, 'prompt'],
      ['image2video', { image: 'https://img.example/a.png', aspect_ratio: '16:9' }, 'aspect_ratio'],
      ['image2video', { prompt: 'no image' }, 'image'],
      ['multi-image2video', { prompt: 'x', image_list: [] }, 'image_list'],
      ['omni-video', { prompt: 'x', duration: '12' }, 'duration'],
    ])('answers 400/1201 naming the field for %s %j', async (kind, body, field) => {
      const r = await create(kind, body);
      expect([r.status, r.body.code]).toEqual([400, 1201]);
      expect(r.body.message).toContain(field);
    });

    it('answers 1200 for a body that is not JSON, 1201 for a reused external id, 404 for unknown routes', async () => {
      const bad = await call('POST', '/v1/videos/text2video', '{not json');
      expect([bad.status, bad.body.code]).toEqual([400, 1200]);
      expect((await create('text2video', { prompt: 'a', external_task_id: 'dup' })).status).toBe(200);
      const dup = await create('text2video', { prompt: 'b', external_task_id: 'dup' });
      expect([dup.status, dup.body.code]).toEqual([400, 1201]);
      expect((await call('GET', '/v1/nothing')).body.code).toBe(1203);
      expect((await call('DELETE', '/v1/videos/text2video')).body.code).toBe(1202);
    });

    it('answers 1303 over the concurrency limit and frees the slot at the terminal state', async () => {
      sim.setKey(AK, { concurrency: 1 });
      try {
        const first = await create('text2video', { prompt: 'one' });
        const second = await create('text2video', { prompt: 'two' });
        expect([second.status, second.body.code]).toEqual([429, 1303]);
        expect(second.body.message).toBe('parallel task over resource pack limit');
        sim.completeTask(first.body.data!.task_id, 'succeed');
        expect((await create('text2video', { prompt: 'three' })).status).toBe(200);
        expect(sim.stats().maxConcurrentByKey[AK]).toBe(1);
      } finally {
        sim.setKey(AK, { concurrency: 1000 });
      }
    });

    it('answers 1302 over the per-key create rate', async () => {
      sim.setKey(AK, { ratePerSecond: 2 });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) codes.push((await create('text2video', { prompt: `r${i}` })).body.code);
        expect(codes).toEqual([0, 0, 1302]);
      } finally {
        sim.setKey(AK, { ratePerSecond: null });
      }
    });

    it('failNextCreates(5002): answers 504 but the task exists, runs, and is found by external id', async () => {
      sim.failNextCreates(5002, 1);
      const r = await create('text2video', { prompt: 'lost answer', external_task_id: 'ext-504' });
      expect([r.status, r.body.code]).toEqual([504, 5002]);
      const t = await query('/v1/videos/text2video/ext-504');
      expect(t.status).toBe(200);
      expect(t.body.data!.task_info.external_task_id).toBe('ext-504');
      await waitFor(() => sim.tasks()[0]?.status === 'succeed', 'the lost task to finish');
      expect((await create('text2video', { prompt: 'next one is fine' })).status).toBe(200);
    });

    it('failNextCreates(5000): answers 500 without creating a task', async () => {
      sim.failNextCreates(5000, 2);
      expect((await create('text2video', { prompt: 'a' })).status).toBe(500);
      expect((await create('text2video', { prompt: 'b' })).status).toBe(500);
      expect((await create('text2video', { prompt: 'c' })).status).toBe(200);
      expect(sim.tasks()).toHaveLength(1);
    });
  });

  describe('account costs', () => {
    it('requires start_time and end_time, and counts down units of succeeded tasks', async () => {
      expect((await call('GET', '/account/costs')).body.code).toBe(1201);
      const r = await create('text2video', { prompt: 'costly', mode: 'std' }); // kling-v1 std 5 s: 1 unit
      sim.completeTask(r.body.data!.task_id, 'succeed');
      const costs = await call<{ code: number; resource_pack_subscribe_infos: Record<string, unknown>[] }>(
        'GET',
        `/account/costs?start_time=${Date.now() - 86_400_000}&end_time=${Date.now()}`,
      );
      expect(costs.status).toBe(200);
      expect(costs.body.data!.code).toBe(0);
      expect(costs.body.data!.resource_pack_subscribe_infos[0]).toMatchObject({
        resource_pack_name: 'Sim Video Pack',
        resource_pack_type: 'decreasing_total',
        total_quantity: 1000,
        remaining_quantity: 999,
        status: 'online',
      });
    });
  });

  describe('HTTP control', () => {
    it('changes behavior, completes tasks and reports stats over /__control', async () => {
      const patched = await fetch(`${sim.url}/__control/behavior`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ completeAfterMs: 60_000, rejectWord: 'NOPE' }),
      });
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ completeAfterMs: 60_000, rejectWord: 'NOPE' });
      expect((await create('text2video', { prompt: 'NOPE' })).body.code).toBe(1301);

      const r = await create('text2video', { prompt: 'slow one' });
      const id = r.body.data!.task_id;
      const done = await fetch(`${sim.url}/__control/tasks/${id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'failed' }),
      });
      expect(done.status).toBe(200);
      expect((await query(`/v1/videos/text2video/${id}`)).body.data!.task_status).toBe('failed');

      const stats = (await (await fetch(`${sim.url}/__control/stats`)).json()) as { creates: number; queries: number };
      expect(stats).toMatchObject({ creates: 1, queries: 1 });
      const calls = (await (await fetch(`${sim.url}/__control/calls`)).json()) as unknown[];
      expect(calls).toHaveLength(3); // control calls are not recorded

      const bad = await fetch(`${sim.url}/__control/behavior`, { method: 'PATCH', body: '{"callbackCopies":-1}' });
      expect(bad.status).toBe(400);
      await fetch(`${sim.url}/__control/reset`, { method: 'POST' });
      expect(sim.behavior().completeAfterMs).toBe(60);
      expect(sim.tasks()).toHaveLength(0);
    });
  });
});
