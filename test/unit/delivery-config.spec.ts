import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config';

// The media, webhook and outbound settings of issue 12.
describe('delivery settings', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'reelay-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults: local files under DATA_DIR/media, retention as long as the tasks’, a day of webhook retries', () => {
    const c = loadConfig({ DATA_DIR: dir, VIDEO_RETENTION_DAYS: '45' });
    expect(c.media).toEqual({
      storage: 'local',
      dir: join(dir, 'media'),
      s3: null,
      maxBytes: 512 * 1024 * 1024,
      linkTtlSeconds: 3600,
      retentionDays: 45,
      copyRetryMs: [10_000, 60_000, 300_000, 1_800_000, 7_200_000],
      copyConcurrency: 4,
      copyTickMs: 1000,
      copyLeaseMs: 300_000,
    });
    expect(c.webhooks).toEqual({
      tickMs: 1000,
      timeoutMs: 10_000,
      retryScheduleMs: [5_000, 60_000, 600_000, 3_600_000, 10_800_000, 28_800_000, 43_200_000],
      disableAfterMs: 86_400_000,
      concurrency: 16,
    });
    expect(c.outboundAllowHosts).toEqual([]);
  });

  it('reads S3 settings when MEDIA_STORAGE=s3, and needs a bucket', () => {
    const c = loadConfig({
      DATA_DIR: dir,
      MEDIA_STORAGE: 's3',
      S3_BUCKET: 'videos',
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY_ID: 'ak',
      S3_SECRET_ACCESS_KEY: 'sk',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(c.media.s3).toEqual({
      endpoint: 'http://minio:9000',
      bucket: 'videos',
      region: 'us-east-1',
      accessKeyId: 'ak',
      secretAccessKey: 'sk',
      forcePathStyle: true,
    });
    expect(() => loadConfig({ DATA_DIR: dir, MEDIA_STORAGE: 's3' })).toThrow(/S3_BUCKET is required/);
    expect(() => loadConfig({ DATA_DIR: dir, MEDIA_STORAGE: 's3', S3_BUCKET: 'v', S3_ACCESS_KEY_ID: 'a' })).toThrow(
      ConfigError,
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ DATA_DIR: dir, MEDIA_STORAGE: 'ftp' })).toThrow(/MEDIA_STORAGE must be local or s3/);
    expect(() => loadConfig({ DATA_DIR: dir, WEBHOOK_RETRY_SCHEDULE_MS: '5s,1m' })).toThrow(
      /WEBHOOK_RETRY_SCHEDULE_MS/,
    );
    expect(() => loadConfig({ DATA_DIR: dir, MEDIA_COPY_RETRY_MS: 'soon' })).toThrow(/MEDIA_COPY_RETRY_MS/);
    expect(() => loadConfig({ DATA_DIR: dir, MEDIA_MAX_BYTES: '12' })).toThrow(/MEDIA_MAX_BYTES/);
  });

  it('takes MEDIA_DIR, MEDIA_RETENTION_DAYS and OUTBOUND_ALLOW_HOSTS as given', () => {
    const c = loadConfig({
      DATA_DIR: dir,
      MEDIA_DIR: join(dir, 'elsewhere'),
      MEDIA_RETENTION_DAYS: '0',
      OUTBOUND_ALLOW_HOSTS: ' 127.0.0.1, Sim.Local:4010 ',
    });
    expect(c.media.dir).toBe(join(dir, 'elsewhere'));
    expect(c.media.retentionDays).toBe(0);
    expect(c.outboundAllowHosts).toEqual(['127.0.0.1', 'sim.local:4010']);
  });
});
