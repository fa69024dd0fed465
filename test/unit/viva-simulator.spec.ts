import {
  VivaCreateResponse,
  VivaErrorBody,
  VivaQueryResponse,
  VivaSimulator,
  startVivaSimulator,
} from '../../tools/simulators/viva/viva-simulator';

const KEY = 'sk-viva-test-1';
const OTHER = 'sk-viva-test-2';

interface Reply<T = unknown> {
  status: number;
  body: T;
}

describe('VivaAPI simulator', () => {
  let sim: VivaSimulator;

  beforeAll(async () => {
    sim = await startVivaSimulator({ behavior: { processingAfterMs: 40, completeAfterMs: 120 } });
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
    return { status: res.status, body: (await res.json()) as T };
  }

  const create = (body: unknown, auth?: string) =>
    call<VivaCreateResponse & VivaErrorBody>('POST', '/v1/video/create', body, auth);
  const query = (id: string, auth?: string) =>
    call<VivaQueryResponse & VivaErrorBody>('GET', `/v1/video/query?id=${encodeURIComponent(id)}`, undefined, auth);

  // Polls until the task is terminal; returns the distinct statuses seen, in order.
  async function follow(id: string, timeoutMs = 3000): Promise<{ seen: string[]; last: VivaQueryResponse }> {
    const until = Date.now() + timeoutMs;
    const seen: string[] = [];
    for (;;) {
      const r = await query(id);
      expect(r.status).toBe(200);
      if (seen.at(-1) !== r.body.status) seen.push(r.body.status);
      if (r.body.status === 'completed' || r.body.status === 'failed') return { seen, last: r.body };
      if (Date.now() > until) throw new Error(`task ${id} still ${r.body.status}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  }

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null],
      ['an unknown key', 'Bearer sk-nobody'],
      ['another scheme', `Token ${KEY}`],
    ])('answers 401 invalid_api_key for %s', async (_what, auth) => {
      const r = await call<VivaErrorBody>('POST', '/v1/video/create', { model: 'veo3', prompt: 'a cat' }, auth);
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
      expect(typeof r.body.error.message).toBe('string');
    });

    it('answers 403 insufficient_quota for an exhausted key, and records calls with the key', async () => {
      sim.setKey(KEY, { quotaExhausted: true });
      const r = await create({ model: 'veo3', prompt: 'a cat' });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ message: 'quota exhausted', code: 'insufficient_quota' });
      await call('GET', '/v1/video/query?id=x', undefined, null);
      expect(sim.calls().map((c) => [c.method, c.path, c.query, c.key, c.status])).toEqual([
        ['POST', '/v1/video/create', '', KEY, 403],
        ['GET', '/v1/video/query', '?id=x', null, 401],
      ]);
      expect(sim.stats().creates).toBe(0);
    });

    it('answers 429 rate_limit_exceeded past ratePerSecond creates', async () => {
      sim.setKey(KEY, { ratePerSecond: 1 });
      expect((await create({ model: 'veo3', prompt: 'one' })).status).toBe(200);
      const r = await create({ model: 'veo3', prompt: 'two' });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('rate_limit_exceeded');
    });
  });

  describe('tasks', () => {
    it('creates a task and runs it pending → processing → completed with a video_url', async () => {
      const before = Math.floor(Date.now() / 1000);
      const r = await create({
        model: 'veo_3_1-fast',
        prompt: 'a cat surfing',
        images: ['https://example.com/first.png', 'data:image/png;base64,iVBORw0KGgo='],
        enhance_prompt: true,
        enable_upsample: false,
        aspect_ratio: '9:16',
      });
      expect(r.status).toBe(200);
      expect(r.body.id).toMatch(/^veo_[0-9a-f]+$/);
      expect(r.body.status).toBe('pending');
      expect(r.body.created_at).toBeGreaterThanOrEqual(before);

      const { seen, last } = await follow(r.body.id);
      expect(seen).toEqual(['pending', 'processing', 'completed']);
      expect(last).toEqual({
        id: r.body.id,
        status: 'completed',
        video_url: `https://sim.vivaapi.local/videos/${r.body.id}.mp4`,
        status_update_time: expect.any(Number) as number,
        model: 'veo_3_1-fast',
        prompt: 'a cat surfing',
      });
      expect(sim.tasks()).toMatchObject([{ id: r.body.id, key: KEY, aspect_ratio: '9:16', status: 'completed' }]);
      expect(sim.stats()).toMatchObject({ creates: 1, maxConcurrentByKey: { [KEY]: 1, [OTHER]: 0 } });
    });

    it('reports the middle state as video_generating under altStatusNames', async () => {
      sim.setBehavior({ altStatusNames: true });
      const r = await create({ model: 'veo3-fast', prompt: 'alt names' });
      const { seen } = await follow(r.body.id);
      expect(seen).toEqual(['pending', 'video_generating', 'completed']);
    });

    it('fails a task whose prompt holds the fail word', async () => {
      const r = await create({ model: 'veo3.1-pro', prompt: 'please SIM_FAIL now' });
      expect(r.status).toBe(200);
      const { last } = await follow(r.body.id);
      expect(last).toMatchObject({ status: 'failed', video_url: '', error: 'content policy violation' });
    });

    it('does not show a task to another key, nor an unknown id', async () => {
      const r = await create({ model: 'veo3', prompt: 'mine' });
      const other = await query(r.body.id, `Bearer ${OTHER}`);
      expect(other.status).toBe(404);
      expect(other.body.error).toMatchObject({ message: 'task not found', code: 'not_found' });
      expect((await query('veo_nope')).status).toBe(404);
      expect((await query(r.body.id)).status).toBe(200);
    });
  });

  describe('create validation and forced failures', () => {
    it.each([
      ['an unknown model', { model: 'veo2', prompt: 'x' }, 'invalid_model'],
      ['a missing model', { prompt: 'x' }, 'invalid_model'],
      ['a missing prompt', { model: 'veo3' }, 'invalid_request'],
      ['a too long prompt', { model: 'veo3', prompt: 'x'.repeat(5001) }, 'invalid_request'],
      [
        'three images',
        { model: 'veo3', prompt: 'x', images: ['https://a/1', 'https://a/2', 'https://a/3'] },
        'invalid_request',
      ],
      ['a non-URL image', { model: 'veo3', prompt: 'x', images: ['not a url'] }, 'invalid_request'],
      ['a bad aspect ratio', { model: 'veo3', prompt: 'x', aspect_ratio: '1:1' }, 'invalid_request'],
      ['the reject word', { model: 'veo3', prompt: 'a SIM_REJECT b' }, 'content_policy_violation'],
      ['a body that is not JSON', '{not json', 'invalid_request'],
    ])('answers 400 for %s', async (_what, body, code) => {
      const r = await create(body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(code);
      if (code === 'invalid_model') expect(r.body.error.message).toMatch(/^model .* not supported/);
      expect(sim.tasks()).toHaveLength(0);
    });

    it('answers failNextCreates(503, 2) twice with 503 and creates nothing', async () => {
      sim.failNextCreates(503, 2);
      for (let i = 0; i < 2; i++) {
        const r = await create({ model: 'veo3', prompt: 'flaky' });
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('service_unavailable');
      }
      expect(sim.tasks()).toHaveLength(0);
      expect(sim.stats().creates).toBe(0);
      expect((await create({ model: 'veo3', prompt: 'flaky' })).status).toBe(200);
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

      expect((await control('POST', '/keys', { key: 'sk-http', quotaExhausted: true })).status).toBe(201);
      expect((await create({ model: 'veo3', prompt: 'x' }, 'Bearer sk-http')).status).toBe(403);
      expect((await control('PATCH', '/keys/sk-http', { quotaExhausted: false })).status).toBe(200);

      const patched = await control('PATCH', '/behavior', { completeAfterMs: 60_000, rejectWord: 'NOPE' });
      expect(patched).toMatchObject({ status: 200, body: { completeAfterMs: 60_000, rejectWord: 'NOPE' } });
      expect((await create({ model: 'veo3', prompt: 'NOPE' }, 'Bearer sk-http')).body.error.code).toBe(
        'content_policy_violation',
      );

      expect((await control('POST', '/fail-next-creates', { status: 502, count: 1 })).status).toBe(200);
      expect((await create({ model: 'veo3', prompt: 'x' }, 'Bearer sk-http')).status).toBe(502);

      const r = await create({ model: 'veo3', prompt: 'slow one' }, 'Bearer sk-http');
      const done = await control('POST', `/tasks/${r.body.id}/complete`, { outcome: 'failed' });
      expect(done).toMatchObject({ status: 200, body: { id: r.body.id, status: 'failed' } });
      expect((await query(r.body.id, 'Bearer sk-http')).body.status).toBe('failed');

      expect((await control('GET', '/stats')).body).toMatchObject({ creates: 1, queries: 1 });
      const calls = (await (await fetch(`${sim.url}/__control/calls`)).json()) as unknown[];
      expect(calls).toHaveLength(5); // control calls are not recorded
      expect((await control('GET', '/tasks')).status).toBe(200);

      expect((await control('PATCH', '/behavior', { completeAfterMs: -1 })).status).toBe(400);
      expect((await control('POST', '/tasks/veo_missing/complete', { outcome: 'completed' })).status).toBe(404);
      await control('POST', '/reset');
      expect(sim.behavior().completeAfterMs).toBe(120);
      expect(sim.tasks()).toHaveLength(0);
    });
  });
});
