import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { MediaCopy } from './media-copy.entity';
import { CopyState, MediaCopyRepository } from './media-copy.repository';
import { MediaLinks } from './media-links';
import { MediaPlan, planRead, ReadConditions } from './media-response';
import { MediaObjectMissing, MediaStorage } from './media-storage';

export interface MediaRead {
  plan: MediaPlan;
  body: Readable | null;
}

// What every task view shows about Reelay's copy of the video.
export interface StoreFields {
  // A signed link to the stored file (valid MEDIA_LINK_TTL_SECONDS), null until stored.
  store_url: string | null;
  // pending | stored | failed; null when no copy was asked for (failed tasks).
  store_status: 'pending' | 'stored' | 'failed' | null;
  // Why the copy failed (the task keeps its provider link).
  store_error: string | null;
}

// How a task's copy ended (unix seconds), for its timeline.
export interface CopyOutcome {
  status: 'stored' | 'failed';
  at: number;
  error: string | null;
}

const DAY = 86_400;
const RETENTION_BATCH = 500;

// Reading stored videos (the owner's content endpoint, signed links), the store fields of task
// views, and deleting files with their tasks (owner's delete, retention).
@Injectable()
export class MediaService {
  constructor(
    private readonly copies: MediaCopyRepository,
    private readonly storage: MediaStorage,
    private readonly links: MediaLinks,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MediaService.name);
  }

  async openOwned(user: AuthUser, taskId: string, c: ReadConditions): Promise<MediaRead> {
    const copy = await this.copies.findOwnedCopy(user.id, taskId);
    if (!copy) {
      if (await this.copies.ownsTask(user.id, taskId))
        throw new DomainError(ErrorCode.NotFound, 'This video is not stored by Reelay (yet)', {
          store_status: null,
        });
      throw DomainError.notFound('Video task');
    }
    if (copy.status !== 'stored')
      throw new DomainError(ErrorCode.NotFound, 'This video is not stored by Reelay (yet)', {
        store_status: copy.status,
        store_error: copy.storeError,
      });
    return this.read(copy, c, {});
  }

  // A signed link: no credentials, only the token. Forged → 403, expired → 410.
  async openSigned(token: string, c: ReadConditions): Promise<MediaRead> {
    const taskId = this.links.taskOf(token);
    if (!taskId) throw new DomainError(ErrorCode.Forbidden, 'Invalid media link');
    const copy = await this.copies.findByTask(taskId);
    const check = this.links.check(token, copy?.status === 'stored' ? copy.objectKey : null, this.clock.now());
    if (!check.ok && check.reason === 'expired') throw new DomainError(ErrorCode.Gone, 'This media link has expired');
    if (!check.ok || !copy) throw new DomainError(ErrorCode.Forbidden, 'Invalid media link');
    return this.read(copy, c, { 'cross-origin-resource-policy': 'cross-origin' });
  }

  // For task views: one query for any number of tasks.
  async storeFieldsFor(taskIds: string[]): Promise<Map<string, StoreFields>> {
    const ids = [...new Set(taskIds)];
    const rows: CopyState[] =
      ids.length === 1
        ? [await this.copies.storeStateOf(ids[0])].filter((r): r is CopyState => r !== null)
        : await this.copies.findByTasks(ids);
    const now = this.clock.now();
    const out = new Map<string, StoreFields>();
    for (const r of rows) out.set(r.taskId, this.fieldsOf(r, now));
    return out;
  }

  // A task's copy as its timeline shows it: stored (when) or given up (why); null while there is
  // none, it is still being made, or it is being deleted.
  async copyOutcomeOf(taskId: string): Promise<CopyOutcome | null> {
    const c = await this.copies.findByTask(taskId);
    if (!c || (c.status !== 'stored' && c.status !== 'failed')) return null;
    return c.status === 'stored'
      ? { status: 'stored', at: c.storedAt ?? c.updatedAt, error: null }
      : { status: 'failed', at: c.updatedAt, error: c.storeError };
  }

  // Deletes a task's stored video (the owner's delete calls it, inside its transaction when it
  // passes one): the copy is marked at once (content and links stop working) and a copy
  // worker deletes the object. Returns whether there was a copy.
  deleteForTask(em: EntityManager | undefined, taskId: string): Promise<boolean> {
    return this.copies.markDeleting(em, taskId, this.clock.nowMs());
  }

  // Marks copies older than MEDIA_RETENTION_DAYS, and copies whose task is gone, for deletion.
  async applyRetention(): Promise<number> {
    const days = this.config.media.retentionDays;
    const before = days > 0 ? this.clock.now() - days * DAY : null;
    let marked = 0;
    for (;;) {
      const n = await this.copies.markExpired(before, this.clock.nowMs(), RETENTION_BATCH);
      marked += n;
      if (n < RETENTION_BATCH) break;
    }
    if (marked > 0) this.logger.info({ marked }, 'stored videos past retention marked for deletion');
    return marked;
  }

  private fieldsOf(r: CopyState, now: number): StoreFields {
    if (r.status === 'deleting') return { store_url: null, store_status: null, store_error: null };
    return {
      store_url: r.status === 'stored' && r.objectKey ? this.links.url(r.taskId, r.objectKey, now).url : null,
      store_status: r.status,
      store_error: r.status === 'stored' ? null : r.storeError,
    };
  }

  private async read(copy: MediaCopy, c: ReadConditions, extra: Record<string, string>): Promise<MediaRead> {
    const plan = planRead(
      {
        size: copy.sizeBytes ?? 0,
        contentType: copy.contentType ?? 'application/octet-stream',
        sha256: copy.sha256 ?? '',
        fileName: (copy.objectKey ?? '').split('/').pop() ?? 'video',
      },
      c,
    );
    Object.assign(plan.headers, extra);
    if (plan.status !== 200 && plan.status !== 206) return { plan, body: null };
    try {
      return { plan, body: await this.storage.get(copy.objectKey as string, plan.range ?? undefined) };
    } catch (err) {
      if (!(err instanceof MediaObjectMissing)) throw err;
      this.logger.error({ task_id: copy.taskId, key: copy.objectKey }, 'stored video missing from storage');
      throw new DomainError(ErrorCode.NotFound, 'The stored video is missing');
    }
  }
}
