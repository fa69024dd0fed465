import { Webhook } from 'standardwebhooks';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { loadConfig } from '../../src/config/load-config';
import { csvField, slug } from '../../src/batch/batch-download.service';
import { envelope, klingCallbackBody, TaskSnapshot, videoEventData } from '../../src/webhooks/webhook-payloads';
import { WebhookSigner } from '../../src/webhooks/webhook-signer';

const TASK: TaskSnapshot = {
  taskId: 'kling_abc',
  userId: 3,
  model: 'kling-v1-6-std',
  type: 'text2video',
  status: 'succeed',
  duration: '5.042',
  videoId: 'v-1',
  storeUrl: 'https://cdn.example/v.mp4',
  failReason: null,
  createdAt: 1_700_000_000,
  finishedAt: 1_700_000_060,
};

describe('webhook bodies', () => {
  it('wraps data in the event envelope', () => {
    expect(envelope('evt_1', 'video.completed', 5, videoEventData(TASK))).toEqual({
      id: 'evt_1',
      object: 'event',
      created_at: 5,
      type: 'video.completed',
      data: {
        id: 'kling_abc',
        object: 'video',
        status: 'succeed',
        model: 'kling-v1-6-std',
        type: 'text2video',
        duration: '5.042',
        video_url: 'https://cdn.example/v.mp4',
        fail_reason: null,
        created_at: 1_700_000_000,
        finished_at: 1_700_000_060,
      },
    });
  });

  it('gives a callback URL Kling’s own body: Reelay’s task id, the client’s external id, milliseconds', () => {
    expect(klingCallbackBody(TASK, 'order-9')).toEqual({
      task_id: 'kling_abc',
      task_status: 'succeed',
      task_status_msg: '',
      task_info: { external_task_id: 'order-9' },
      created_at: 1_700_000_000_000,
      updated_at: 1_700_000_060_000,
      task_result: { videos: [{ id: 'v-1', url: 'https://cdn.example/v.mp4', duration: '5.042' }] },
    });
    const failed = klingCallbackBody({ ...TASK, status: 'failed', failReason: 'risk control', storeUrl: null }, null);
    expect(failed).toEqual({
      task_id: 'kling_abc',
      task_status: 'failed',
      task_status_msg: 'risk control',
      task_info: {},
      created_at: 1_700_000_000_000,
      updated_at: 1_700_000_060_000,
    });
  });
});

describe('WebhookSigner', () => {
  const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: 'k'.repeat(40) });
  const signer = new WebhookSigner(new CryptoService(config));

  it('makes whsec_ secrets of 32 random bytes, sealed at rest', () => {
    const s = signer.newSecret();
    expect(Buffer.from(s.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(signer.newSecret()).not.toBe(s);
    const sealed = signer.seal(s);
    expect(sealed).not.toContain(s.slice(6));
    expect(signer.unseal(sealed)).toBe(s);
  });

  it('signs "id.timestamp.body" so standardwebhooks verifies it, and nothing else', () => {
    const secret = signer.newSecret();
    const now = Math.floor(Date.now() / 1000);
    const headers = signer.sign('evt_1', now, '{"a":1}', secret);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify('{"a":1}', { ...headers })).toEqual({ a: 1 });
    expect(() => new Webhook(secret).verify('{"a":2}', { ...headers })).toThrow();
    expect(() => new Webhook(signer.newSecret()).verify('{"a":1}', { ...headers })).toThrow();
  });
});

describe('ZIP names and manifest cells', () => {
  it('slugs prompts to short ASCII names', () => {
    expect(slug('A Lighthouse at Dawn!')).toBe('a-lighthouse-at-dawn');
    expect(slug('Café déjà vu')).toBe('cafe-deja-vu');
    expect(slug('一只猫')).toBe('video');
    expect(slug('x'.repeat(30) + ' ' + 'y'.repeat(30))).toBe(`${'x'.repeat(30)}-${'y'.repeat(17)}`);
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(15)).toBe('15');
    expect(csvField(null)).toBe('');
  });
});
