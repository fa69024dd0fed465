import { decodeJwt, decodeProtectedHeader } from 'jose';
import { Channel } from '../../src/channels/channel.entity';
import { maskKey, orderByPriorityAndWeight } from '../../src/channels/channels.service';
import { Clock } from '../../src/common/clock/clock.service';
import { AppConfig } from '../../src/config/app-config';
import { KlingTokenService, splitKlingKey } from '../../src/providers/kling/kling-token.service';
import { KlingClient, toKlingModel } from '../../src/providers/kling/kling.client';
import { UpstreamHttp, UpstreamRequest } from '../../src/providers/upstream-http';
import { prng } from '../helpers/prng';

class FixedClock extends Clock {
  constructor(public t: number) {
    super();
  }
  override nowMs(): number {
    return this.t * 1000;
  }
}

describe('Kling client rules', () => {
  it('signs HS256 tokens with iss = AK, exp = now + 1800, nbf = now - 5, and reuses them until near expiry', async () => {
    const clock = new FixedClock(1_800_000_000);
    const tokens = new KlingTokenService(clock);
    const a = await tokens.tokenFor('AK1', 'SK1');
    expect(decodeProtectedHeader(a)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(a)).toEqual({ iss: 'AK1', exp: 1_800_001_800, nbf: 1_799_999_995 });
    clock.t += 1400;
    expect(await tokens.tokenFor('AK1', 'SK1')).toBe(a);
    clock.t += 200; // inside the last five minutes
    expect(await tokens.tokenFor('AK1', 'SK1')).not.toBe(a);
    expect(await tokens.tokenFor('AK1', 'OTHER')).not.toBe(await tokens.tokenFor('AK1', 'SK1'));
  });

  it('maps model names to model_name and mode', () => {
    expect(toKlingModel('kling-v1-5-std', 'pro')).toEqual({ model_name: 'kling-v1-5', mode: 'std' });
    expect(toKlingModel('kling-v1-6-pro', undefined)).toEqual({ model_name: 'kling-v1-6', mode: 'pro' });
    expect(toKlingModel('kling-v2-master', 'pro')).toEqual({ model_name: 'kling-v2-master', mode: 'pro' });
    expect(toKlingModel('kling-video-o1', undefined)).toEqual({ model_name: 'kling-video-o1' });
  });

  it('splits AK|SK keys and refuses anything else', () => {
    expect(splitKlingKey('ak|sk')).toEqual({ accessKey: 'ak', secretKey: 'sk' });
    expect(splitKlingKey('no-pipe')).toBeNull();
    expect(splitKlingKey('|sk')).toBeNull();
    expect(maskKey('AKabcdefgh|SKsecret')).toBe('AKab…|****');
  });

  it('parses callbacks bare or wrapped in data', () => {
    const client = new KlingClient({} as UpstreamHttp, new KlingTokenService(new Clock()), new AppConfig());
    const task = {
      task_id: '867283741759111202',
      task_status: 'succeed',
      task_info: { external_task_id: 'kling_x' },
      task_result: { videos: [{ id: 'v1', url: 'https://cdn/v1.mp4', duration: '5.042' }] },
    };
    const expected = {
      upstreamTaskId: '867283741759111202',
      externalTaskId: 'kling_x',
      status: 'succeed',
      failReason: null,
      videoId: 'v1',
      videoUrl: 'https://cdn/v1.mp4',
      duration: '5.042',
    };
    expect(client.parseCallback(task)).toEqual(expected);
    expect(client.parseCallback({ code: 0, message: 'SUCCEED', request_id: 'r', data: task })).toEqual(expected);
    expect(client.parseCallback({ task_id: 'x', task_status: 'exploded' })).toBeNull();
    expect(client.parseCallback('nonsense')).toBeNull();
  });

  it('orders channels by priority, and by weight inside a priority', () => {
    const ch = (id: number, priority: number, weight: number) => ({ id, priority, weight }) as Channel;
    const channels = [ch(1, 0, 1), ch(2, 10, 1), ch(3, 10, 3), ch(4, 5, 1)];
    const rand = prng(7);
    const firsts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const order = orderByPriorityAndWeight(channels, rand).map((c) => c.id);
      expect(order.slice(2)).toEqual([4, 1]);
      firsts.set(order[0], (firsts.get(order[0]) ?? 0) + 1);
    }
    // Weight 3 vs 1: about three quarters of the first picks.
    expect((firsts.get(3) ?? 0) / 4000).toBeGreaterThan(0.7);
    expect((firsts.get(3) ?? 0) / 4000).toBeLessThan(0.8);
  });

  // Kling's list route (providers.md §1.5): `data` is an array of §1.6 task objects. Some Kling
  // fronts answer a single-task query in that shape; the client picks the entry that is ours.
  describe('a list-shaped answer to a single-task query', () => {
    const taskObject = (taskId: string, external: string, status = 'processing') => ({
      task_id: taskId,
      task_status: status,
      task_status_msg: '',
      task_info: { external_task_id: external },
      task_result:
        status === 'succeed'
          ? { videos: [{ id: `v-${taskId}`, url: `https://cdn/${taskId}.mp4`, duration: '5.042' }] }
          : undefined,
      created_at: 1_722_769_557_708,
      updated_at: 1_722_769_557_708,
    });
    const list = [taskObject('111', 'kling_other'), taskObject('222', 'kling_mine', 'succeed'), taskObject('333', 'x')];
    const sent: UpstreamRequest[] = [];
    const http = {
      metrics: { upstreamCall: () => undefined },
      send: (req: UpstreamRequest) => {
        sent.push(req);
        return Promise.resolve({ status: 200, body: { code: 0, message: 'SUCCEED', request_id: 'r', data: list } });
      },
    } as unknown as UpstreamHttp;
    const client = new KlingClient(http, new KlingTokenService(new Clock()), new AppConfig());
    const ch = { channelId: 1, type: 'kling' as const, baseUrl: 'https://kling.example/', key: 'ak|sk' };

    it('by external_task_id: asks the documented path form and reads the matching entry', async () => {
      const task = await client.query(ch, 'text2video', { externalTaskId: 'kling_mine' });
      expect(sent.at(-1)).toMatchObject({
        method: 'GET',
        url: 'https://kling.example/v1/videos/text2video/kling_mine',
      });
      expect(task).toEqual({
        upstreamTaskId: '222',
        externalTaskId: 'kling_mine',
        status: 'succeed',
        failReason: null,
        videoId: 'v-222',
        videoUrl: 'https://cdn/222.mp4',
        duration: '5.042',
      });
    });

    it('by task_id: the entry with that id; none that matches is "not found" (null), not the first entry', async () => {
      expect(await client.query(ch, 'image2video', { upstreamTaskId: '333' })).toMatchObject({
        upstreamTaskId: '333',
        externalTaskId: 'x',
        status: 'processing',
      });
      expect(sent.at(-1)?.url).toBe('https://kling.example/v1/videos/image2video/333');
      expect(await client.query(ch, 'text2video', { upstreamTaskId: '999' })).toBeNull();
      expect(await client.query(ch, 'text2video', { externalTaskId: 'kling_nobody' })).toBeNull();
    });

    it('lists a page of a kind newest first, each item parsed as a single query and with its creation time', async () => {
      const page = await client.listRecent(ch, 'image2video', 3, 500);
      expect(sent.at(-1)).toMatchObject({
        method: 'GET',
        url: 'https://kling.example/v1/videos/image2video?pageNum=3&pageSize=500',
      });
      expect(page.itemCount).toBe(3);
      expect(page.tasks.map((t) => [t.task.upstreamTaskId, t.task.status, t.createdAtMs])).toEqual([
        ['111', 'processing', 1_722_769_557_708],
        ['222', 'succeed', 1_722_769_557_708],
        ['333', 'processing', 1_722_769_557_708],
      ]);
      expect(page.tasks[1].task).toEqual(await client.query(ch, 'text2video', { upstreamTaskId: '222' }));
    });
  });
});
