import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config';
import { createMediaStorage } from '../../src/media/media.module';
import { LocalMediaStorage } from '../../src/media/local-media.storage';
import { MediaObjectMissing, MediaStorage } from '../../src/media/media-storage';
import { S3MediaStorage } from '../../src/media/s3-media.storage';
import { simMediaBytes, simMediaChunks } from '../../tools/simulators/sim-media';
import { DRIVERS, LocalS3, sha256, storageEnv } from '../helpers/delivery';
import { TEST_APP_SECRET } from '../helpers/test-app';

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// A stream that yields `bytes` and then fails, like a download cut off halfway.
function failingAfter(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('connection reset');
    })(),
  );
}

// The one MediaStorage contract, run against each driver as the app builds it from its
// settings (the S3 one against an S3-compatible server on loopback).
describe.each(DRIVERS)('MediaStorage (%s driver)', (driver) => {
  let s3: LocalS3;
  let dir: string;
  let storage: MediaStorage;

  beforeAll(async () => {
    s3 = await storageEnv(driver);
    dir = mkdtempSync(join(tmpdir(), 'reelay-store-'));
    const config = loadConfig({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, MEDIA_DIR: dir, ...s3.env });
    storage = createMediaStorage(config);
    expect(storage).toBeInstanceOf(driver === 's3' ? S3MediaStorage : LocalMediaStorage);
  });
  afterAll(async () => {
    if (storage instanceof S3MediaStorage) storage.onModuleDestroy();
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a stream and reads it back whole, by range, and by stat', async () => {
    const data = simMediaBytes('store-a', 300_000);
    expect(
      await storage.put('u1/a.mp4', Readable.from(simMediaChunks('store-a', 300_000, 'mp4')), 'video/mp4'),
    ).toEqual({
      size: 300_000,
    });
    expect(await storage.stat('u1/a.mp4')).toEqual({ size: 300_000 });
    expect(sha256(await readAll(await storage.get('u1/a.mp4')))).toBe(sha256(data));
    expect(
      (await readAll(await storage.get('u1/a.mp4', { start: 100, end: 199 }))).equals(data.subarray(100, 200)),
    ).toBe(true);
    expect(
      (await readAll(await storage.get('u1/a.mp4', { start: 299_990, end: 299_999 }))).equals(data.subarray(299_990)),
    ).toBe(true);
  });

  it('streams a large object through without holding it (12 MiB in 16 KiB chunks)', async () => {
    const size = 12 * 1024 * 1024;
    const before = process.memoryUsage().arrayBuffers;
    await storage.put('u1/big.mp4', Readable.from(simMediaChunks('big', size, 'mp4')), 'video/mp4');
    expect(await storage.stat('u1/big.mp4')).toEqual({ size });
    let n = 0;
    for await (const c of await storage.get('u1/big.mp4')) n += (c as Buffer).length;
    expect(n).toBe(size);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('replaces an object written again under the same key (a retried copy)', async () => {
    await storage.put('u2/same.mp4', Readable.from([Buffer.from('first version')]), 'video/mp4');
    await storage.put('u2/same.mp4', Readable.from([Buffer.from('second')]), 'video/mp4');
    expect((await readAll(await storage.get('u2/same.mp4'))).toString()).toBe('second');
    expect(await storage.list('u2/')).toEqual(['u2/same.mp4']);
  });

  it('leaves nothing under the key when the source fails halfway', async () => {
    await expect(storage.put('u3/cut.mp4', failingAfter(Buffer.alloc(64 * 1024, 1)), 'video/mp4')).rejects.toThrow(
      'connection reset',
    );
    expect(await storage.stat('u3/cut.mp4')).toBeNull();
    expect(await storage.list('u3/')).toEqual([]);
    if (storage instanceof LocalMediaStorage) expect(readdirSync(storage.incompleteDir)).toEqual([]);
  });

  it('deletes idempotently, and says clearly when an object is missing', async () => {
    await storage.put('u4/gone.mp4', Readable.from([Buffer.from('x')]), 'video/mp4');
    await storage.delete('u4/gone.mp4');
    await storage.delete('u4/gone.mp4');
    expect(await storage.stat('u4/gone.mp4')).toBeNull();
    await expect(storage.get('u4/gone.mp4')).rejects.toBeInstanceOf(MediaObjectMissing);
  });

  it('refuses keys that would leave the store', async () => {
    for (const key of ['../etc/passwd', '/abs.mp4', 'u1/../../x', '.hidden', 'a//b', ''])
      await expect(storage.stat(key)).rejects.toThrow(/Invalid media key/);
  });
});
