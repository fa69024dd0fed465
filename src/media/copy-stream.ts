import { createHash } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { detectVideoType, SNIFF_BYTES, VideoType } from './video-type';

// A copy that can never succeed (too large, not a video, refused by the source): no retry.
export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

export interface CheckedVideo {
  type: VideoType;
  // The whole file again (the peeked head first), counted, hashed and cut off past the limit.
  body: Readable;
  // Final once `body` has ended.
  result(): { size: number; sha256: string };
}

// Reads just enough of `source` to tell its type, refuses anything that is not a video, and
// hands back a stream of the same bytes that fails once more than `maxBytes` have passed.
// Nothing but the first few KiB is ever held in memory.
export async function checkVideoStream(source: Readable, maxBytes: number): Promise<CheckedVideo> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const parts: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < SNIFF_BYTES) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(next.value);
    headLength += next.value.length;
  }
  const head = Buffer.concat(parts);
  const type = await detectVideoType(head);
  if (!type) {
    source.destroy();
    throw new CopyRefused('The result is not a video (no MP4, QuickTime or WebM signature)');
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield head;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  const gate = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) return done(new CopyRefused(`The video is larger than MEDIA_MAX_BYTES (${maxBytes})`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const replayed = Readable.from(replay());
  replayed.on('error', (err) => gate.destroy(err));
  gate.on('close', () => {
    if (!replayed.readableEnded) replayed.destroy();
    if (!source.readableEnded) source.destroy();
  });
  replayed.pipe(gate);
  let digest: string | null = null;
  return {
    type,
    body: gate,
    result: () => ({ size, sha256: (digest ??= hash.digest('hex')) }),
  };
}
