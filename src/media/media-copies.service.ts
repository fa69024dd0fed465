import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import { runBounded } from '../common/jobs/run-bounded';
import { CopyRefused, checkVideoStream } from './copy-stream';
import { MediaCopy } from './media-copy.entity';
import { MediaCopyRepository } from './media-copy.repository';
import { MediaFetcher } from './media-fetcher';
import { MediaStorage } from './media-storage';

export interface CopyRequest {
  taskId: string;
  userId: number;
  // The provider's result URL.
  sourceUrl: string;
}

export interface CopyRound {
  claimed: number;
  stored: number;
  failed: number;
  deleted: number;
}

// A round claims at most this many rows; the round goes on while there are more.
const CLAIM_BATCH = 50;

// Copies finished videos into MediaStorage. `enqueue` writes the job inside the task's
// terminal transaction; `runDue` (the job's tick, on any replica) claims due jobs under a lease
// and streams each file from the provider into storage: never the whole file in memory, at
// most MEDIA_MAX_BYTES, only videos, SHA-256 and size recorded. Failures retry on
// MEDIA_COPY_RETRY_MS; a copy that keeps failing ends `failed` with its store_error and
// touches nothing else (the task stays succeeded with its provider link, money untouched).
// The same rounds delete the objects of rows marked `deleting`.
@Injectable()
export class MediaCopies {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly stopping = new AbortController();

  constructor(
    private readonly copies: MediaCopyRepository,
    private readonly storage: MediaStorage,
    private readonly fetcher: MediaFetcher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MediaCopies.name);
  }

  // THE entry point for the relay core: call it in the transaction that makes a task succeed.
  // Replaying it for the same task changes nothing.
  async enqueue(em: EntityManager, req: CopyRequest): Promise<void> {
    await this.copies.enqueue(em, req, this.clock.nowMs());
  }

  // Shutdown: copies in flight stop now; their leases run out and another worker resumes them.
  stop(): void {
    this.stopping.abort(new Error('shutting down'));
  }

  async runDue(): Promise<CopyRound> {
    const round: CopyRound = { claimed: 0, stored: 0, failed: 0, deleted: 0 };
    const cfg = this.config.media;
    for (;;) {
      const batch = await this.copies.claimDue(this.owner, this.clock.nowMs(), CLAIM_BATCH, cfg.copyLeaseMs);
      if (batch.length === 0 || this.stopping.signal.aborted) break;
      round.claimed += batch.length;
      await runBounded(batch, cfg.copyConcurrency, async (row) => {
        const outcome = await this.process(row).catch((err: unknown) => {
          this.logger.error({ task_id: row.taskId, err }, 'media copy round item failed');
          return 'failed' as const;
        });
        if (outcome) round[outcome]++;
      });
      if (batch.length < CLAIM_BATCH) break;
    }
    if (round.claimed > 0) this.logger.info(round, 'media copy round done');
    return round;
  }

  private async process(row: MediaCopy): Promise<'stored' | 'failed' | 'deleted' | null> {
    if (row.status === 'deleting') {
      if (row.objectKey) await this.storage.delete(row.objectKey);
      await this.copies.removeDeleted(row.id, this.owner);
      return 'deleted';
    }
    const abort = new AbortController();
    const heartbeat = setInterval(
      () => {
        this.copies
          .renewLease(row.id, this.owner, this.clock.nowMs() + this.config.media.copyLeaseMs)
          .then((mine) => mine || abort.abort(new Error('lease lost')))
          .catch(() => undefined); // a missed renewal only shortens the lease
      },
      Math.max(500, Math.floor(this.config.media.copyLeaseMs / 3)),
    );
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const stored = await this.copyOnce(row, AbortSignal.any([abort.signal, this.stopping.signal]));
      if (!(await this.finishStored(row, stored))) return null;
      this.metrics.mediaCopy({ outcome: 'stored', bytes: stored.size, seconds: seconds() });
      return 'stored';
    } catch (err) {
      // Someone else owns the row now, or this process is stopping: leave the row as it is.
      if (abort.signal.aborted || this.stopping.signal.aborted) return null;
      const failed = await this.recordFailure(row, err);
      this.metrics.mediaCopy({ outcome: failed ? 'failed' : 'retry', seconds: seconds() });
      return failed;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async copyOnce(row: MediaCopy, signal: AbortSignal) {
    const max = this.config.media.maxBytes;
    const res = await this.fetcher.open(row.sourceUrl, signal);
    if (res.status !== 200) {
      res.body.destroy();
      if (res.status >= 300 && res.status < 400)
        throw new CopyRefused(`The source answered ${res.status} (redirects are not followed)`);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        throw new CopyRefused(`The source answered HTTP ${res.status}`);
      throw new Error(`The source answered HTTP ${res.status}`);
    }
    if (res.contentLength !== null && res.contentLength > max) {
      res.body.destroy();
      throw new CopyRefused(`The video is larger than MEDIA_MAX_BYTES (${res.contentLength} > ${max})`);
    }
    const video = await checkVideoStream(res.body, max);
    const key = objectKeyFor(row, video.type.ext);
    await this.storage.put(key, video.body, video.type.mime);
    return { objectKey: key, contentType: video.type.mime, ...video.result() };
  }

  // Records the stored object; when the row was deleted or marked for deletion meanwhile, the
  // object just written goes too (a row another worker stored keeps it: same key, same bytes).
  private async finishStored(
    row: MediaCopy,
    s: { objectKey: string; contentType: string; size: number; sha256: string },
  ): Promise<boolean> {
    const fields = { objectKey: s.objectKey, contentType: s.contentType, sizeBytes: s.size, sha256: s.sha256 };
    if (await this.copies.markStored(row.id, this.owner, fields, this.clock.nowMs())) return true;
    const now = await this.copies.findByTask(row.taskId);
    if (!now || now.status === 'deleting') await this.storage.delete(s.objectKey);
    return false;
  }

  private async recordFailure(row: MediaCopy, err: unknown): Promise<'failed' | null> {
    const permanent = err instanceof CopyRefused || err instanceof DomainError;
    const message = err instanceof Error ? err.message : String(err);
    const waits = this.config.media.copyRetryMs;
    const nextAt = permanent || row.attempts > waits.length ? null : this.clock.nowMs() + waits[row.attempts - 1];
    await this.copies.markAttemptFailed(row.id, this.owner, message, nextAt, this.clock.nowMs());
    this.logger.warn(
      { task_id: row.taskId, attempt: row.attempts, err: message, retry: nextAt !== null },
      'media copy failed',
    );
    return nextAt === null ? 'failed' : null;
  }
}

// `u<user>/<task>.<ext>`: one key per task, so a retried or resumed copy overwrites its own
// object and never adds a second one.
export function objectKeyFor(row: Pick<MediaCopy, 'userId' | 'taskId'>, ext: string): string {
  return `u${row.userId}/${row.taskId.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[.-]/, '_')}.${ext}`;
}
