import { Readable } from 'node:stream';

// An inclusive byte range, as HTTP Range headers count.
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  size: number;
}

// The object store stored videos live in. Small on purpose: the copy job writes a stream, the
// content and link endpoints and the ZIP read one (or a range of it), retention deletes.
// Keys are relative paths like `u12/kling_abc.mp4`; the driver decides where they live.
export abstract class MediaStorage {
  abstract readonly driver: 'local' | 's3';

  // Streams `body` into `key`. The object appears whole under `key` or not at all: a failed
  // or interrupted put leaves nothing under that name. Replacing an existing object is allowed
  // (a retried copy writes the same bytes again).
  abstract put(key: string, body: Readable, contentType: string): Promise<StoredObject>;

  // The object's bytes (or the given range). Throws MediaObjectMissing when it does not exist.
  abstract get(key: string, range?: ByteRange): Promise<Readable>;

  abstract stat(key: string): Promise<StoredObject | null>;

  // Idempotent: deleting a missing object is fine.
  abstract delete(key: string): Promise<void>;

  // Removes leftovers of interrupted puts older than `olderThanMs` (a no-op where the store
  // cleans up itself); returns how many went.
  abstract sweepIncomplete(olderThanMs: number): Promise<number>;

  // Every key under `prefix` (tests and operators use it to see what is stored).
  abstract list(prefix?: string): Promise<string[]>;
}

export class MediaObjectMissing extends Error {
  constructor(readonly key: string) {
    super(`No stored object ${key}`);
    this.name = 'MediaObjectMissing';
  }
}

const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

// Keys never escape the store's root (no `..`, no absolute paths, no hidden names).
export function assertValidKey(key: string): void {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.'))
    throw new Error(`Invalid media key ${JSON.stringify(key)}`);
}
