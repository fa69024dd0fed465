import { Readable } from 'node:stream';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { loadConfig } from '../../src/config/load-config';
import { checkVideoStream, CopyRefused } from '../../src/media/copy-stream';
import { objectKeyFor } from '../../src/media/media-copies.service';
import { MediaLinks } from '../../src/media/media-links';
import { planRead } from '../../src/media/media-response';
import { detectVideoType } from '../../src/media/video-type';
import { simMediaBytes, simMediaChunks, simMediaSha256 } from '../../tools/simulators/sim-media';

const FILE = { size: 1000, contentType: 'video/mp4', sha256: 'ab'.repeat(32), fileName: 'kling_x.mp4' };
const ETAG = `"${FILE.sha256}"`;

describe('planRead: how a stored file is answered', () => {
  it('serves the whole file with its type, length and ETag', () => {
    expect(planRead(FILE, {})).toEqual({
      status: 200,
      range: null,
      headers: {
        etag: ETAG,
        'accept-ranges': 'bytes',
        'cache-control': 'private, max-age=3600',
        'content-type': 'video/mp4',
        'content-length': '1000',
        'content-disposition': 'inline; filename="kling_x.mp4"',
      },
    });
  });

  it('serves one range with 206 and Content-Range', () => {
    const p = planRead(FILE, { range: 'bytes=100-199' });
    expect(p).toMatchObject({ status: 206, range: { start: 100, end: 199 } });
    expect(p.headers).toMatchObject({ 'content-length': '100', 'content-range': 'bytes 100-199/1000' });
    expect(planRead(FILE, { range: 'bytes=-10' }).range).toEqual({ start: 990, end: 999 });
    expect(planRead(FILE, { range: 'bytes=900-' }).range).toEqual({ start: 900, end: 999 });
    expect(planRead(FILE, { range: 'bytes=990-5000' }).range).toEqual({ start: 990, end: 999 });
  });

  it('answers 416 with the size for a range past the end', () => {
    expect(planRead(FILE, { range: 'bytes=1000-1001' })).toMatchObject({
      status: 416,
      headers: { 'content-range': 'bytes */1000' },
    });
  });

  it('ignores malformed and multi-range headers (the whole file), and a stale If-Range', () => {
    expect(planRead(FILE, { range: 'bytes=abc' }).status).toBe(200);
    expect(planRead(FILE, { range: 'items=1-2' }).status).toBe(200);
    expect(planRead(FILE, { range: 'bytes=0-1,500-600' }).status).toBe(200);
    expect(planRead(FILE, { range: 'bytes=0-1', ifRange: '"other"' }).status).toBe(200);
    expect(planRead(FILE, { range: 'bytes=0-1', ifRange: ETAG }).status).toBe(206);
  });

  it('answers 304 when If-None-Match holds the ETag', () => {
    expect(planRead(FILE, { ifNoneMatch: `"x", ${ETAG}` }).status).toBe(304);
    expect(planRead(FILE, { ifNoneMatch: `W/${ETAG}` }).status).toBe(304);
    expect(planRead(FILE, { ifNoneMatch: '"x"' }).status).toBe(200);
  });
});

describe('MediaLinks: signed, expiring links', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: 'x'.repeat(40),
    SERVER_ADDRESS: 'https://r.example',
    MEDIA_LINK_TTL_SECONDS: '600',
  });
  const links = new MediaLinks(new CryptoService(config), config);
  const token = (url: string) => url.slice('https://r.example/media/'.length);

  it('names its task and verifies until expiry, then says expired', () => {
    const { url, expiresAt } = links.url('kling_abc', 'u1/kling_abc.mp4', 1_000);
    expect(expiresAt).toBe(1_600);
    expect(links.taskOf(token(url))).toBe('kling_abc');
    expect(links.check(token(url), 'u1/kling_abc.mp4', 1_599)).toEqual({
      ok: true,
      taskId: 'kling_abc',
      expiresAt: 1_600,
    });
    expect(links.check(token(url), 'u1/kling_abc.mp4', 1_600)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a changed expiry, another object, another secret, and garbage', () => {
    const t = token(links.url('kling_abc', 'u1/kling_abc.mp4', 1_000).url);
    const [task, exp, sig] = t.split('.');
    expect(links.check(`${task}.${Number(exp) + 1}.${sig}`, 'u1/kling_abc.mp4', 1_000)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(links.check(t, 'u1/kling_abc.webm', 1_000)).toEqual({ ok: false, reason: 'forged' });
    expect(links.check(t, null, 1_000)).toEqual({ ok: false, reason: 'forged' });
    const other = loadConfig({ NODE_ENV: 'test', APP_SECRET: 'y'.repeat(40) });
    expect(new MediaLinks(new CryptoService(other), other).check(t, 'u1/kling_abc.mp4', 1_000).ok).toBe(false);
    expect(links.check('nonsense', 'u1/kling_abc.mp4', 1_000)).toEqual({ ok: false, reason: 'malformed' });
    expect(links.taskOf('a.b')).toBeNull();
  });
});

describe('video type and the copy stream', () => {
  it('knows the simulators’ MP4 as a video and their text page as none', async () => {
    expect(await detectVideoType(simMediaBytes('s', 5_000))).toEqual({ mime: 'video/mp4', ext: 'mp4' });
    expect(await detectVideoType(simMediaBytes('s', 5_000, 'text'))).toBeNull();
    expect(simMediaBytes('s', 5_000).equals(simMediaBytes('s', 5_000))).toBe(true); // deterministic
    expect(simMediaBytes('s', 5_000).equals(simMediaBytes('t', 5_000))).toBe(false);
  });

  it('passes the same bytes on with their size and SHA-256', async () => {
    const checked = await checkVideoStream(Readable.from(simMediaChunks('c', 100_000, 'mp4')), 200_000);
    expect(checked.type.mime).toBe('video/mp4');
    let n = 0;
    for await (const c of checked.body) n += (c as Buffer).length;
    expect(n).toBe(100_000);
    expect(checked.result()).toEqual({ size: 100_000, sha256: simMediaSha256('c', 100_000) });
  });

  it('refuses what is not a video before reading on, and cuts off past the limit', async () => {
    await expect(checkVideoStream(Readable.from(simMediaChunks('d', 50_000, 'text')), 1e9)).rejects.toBeInstanceOf(
      CopyRefused,
    );
    const big = await checkVideoStream(Readable.from(simMediaChunks('e', 100_000, 'mp4')), 60_000);
    await expect(
      (async () => {
        for await (const _ of big.body);
      })(),
    ).rejects.toThrow(/larger than MEDIA_MAX_BYTES/);
  });

  it('keys one object per task under its user', () => {
    expect(objectKeyFor({ userId: 7, taskId: 'kling_Ab3' }, 'mp4')).toBe('u7/kling_Ab3.mp4');
    expect(objectKeyFor({ userId: 7, taskId: '../x y' }, 'webm')).toBe('u7/_._x_y.webm');
  });
});
