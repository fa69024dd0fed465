import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, ByteRange, MediaObjectMissing, MediaStorage, StoredObject } from './media-storage';

const TMP = '.tmp';

// Files under one directory. A put writes `.tmp/<random>.part`, flushes it to disk and renames
// it to the key's path: rename is atomic, so a crash leaves at most a stray .part file (swept
// later), never a half video under the final name.
export class LocalMediaStorage extends MediaStorage {
  readonly driver = 'local' as const;

  constructor(private readonly root: string) {
    super();
  }

  async put(key: string, body: Readable, _contentType: string): Promise<StoredObject> {
    const final = this.pathOf(key);
    const tmpDir = join(this.root, TMP);
    await mkdir(tmpDir, { recursive: true });
    await mkdir(dirname(final), { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    try {
      // flush: the bytes are on disk before the rename makes them visible.
      await pipeline(body, createWriteStream(tmp, { flags: 'wx', mode: 0o640, flush: true }));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const { size } = await stat(tmp);
    await rename(tmp, final);
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    if (!(await this.stat(key))) throw new MediaObjectMissing(key);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    const dir = join(this.root, TMP);
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const p = join(dir, name);
      const s = await stat(p).catch(() => null);
      if (s && Date.now() - s.mtimeMs >= olderThanMs) {
        await rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async list(prefix = ''): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (e.name === TMP && dir === this.root) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) out.push(relative(this.root, p).split(sep).join('/'));
      }
    };
    await walk(this.root);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }

  // Where a put's temporary files go (tests look there after a crash).
  get incompleteDir(): string {
    return join(this.root, TMP);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }
}
