import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { Db } from '../../src/common/database/db.service';
import { MediaCopies } from '../../src/media/media-copies.service';
import { MediaCopy } from '../../src/media/media-copy.entity';
import { MediaCopyRepository } from '../../src/media/media-copy.repository';
import { freePort } from '../../tools/common/http-client';
import { TestApp } from './test-app';
import { waitFor } from './wait';

export type Driver = 'local' | 's3';
export const DRIVERS: Driver[] = ['local', 's3'];

export interface LocalS3 {
  env: Record<string, string>;
  close(): Promise<void>;
}

// An S3-compatible server on loopback (s3rver keeps objects in a temp directory), so the S3
// driver runs against real S3 HTTP, not a mock of the SDK.
export async function startS3(bucket = 'reelay-media'): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-s3-'));
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  await server.run();
  return {
    env: {
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The storage settings for a driver (starting an S3 server when it is s3).
export async function storageEnv(driver: Driver): Promise<LocalS3> {
  if (driver === 's3') return startS3();
  return { env: { MEDIA_STORAGE: 'local' }, close: () => Promise.resolve() };
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

// What the relay core will do in a task's terminal transaction.
export function enqueueCopy(t: TestApp, req: { taskId: string; userId: number; sourceUrl: string }): Promise<void> {
  return t.app.get(Db).tx((em) => t.app.get(MediaCopies).enqueue(em, req));
}

export async function waitCopy(
  t: TestApp,
  taskId: string,
  until: (c: MediaCopy) => boolean = (c) => c.status === 'stored' || c.status === 'failed',
  timeoutMs = 20_000,
): Promise<MediaCopy> {
  const repo = t.app.get(MediaCopyRepository);
  return waitFor(async () => {
    const c = await repo.findByTask(taskId);
    return c && until(c) ? c : null;
  }, timeoutMs);
}

// The seed and size a simulator's /media URL encodes (what its bytes are made from).
export function mediaUrlParts(url: string): { kind: 'mp4' | 'text'; bytes: number; seed: string } {
  const m = /\/media\/(mp4|text)\/(\d+)\/([^/]+)\.mp4$/.exec(new URL(url).pathname);
  if (!m) throw new Error(`not a simulator media URL: ${url}`);
  return { kind: m[1] as 'mp4' | 'text', bytes: Number(m[2]), seed: decodeURIComponent(m[3]) };
}

// Reads a whole HTTP response body as bytes (supertest would parse video/* as text).
export function binary(raw: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const res = raw as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => cb(e, Buffer.alloc(0)));
}
