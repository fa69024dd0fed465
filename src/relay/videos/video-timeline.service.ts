import { Injectable } from '@nestjs/common';
import { BillingService } from '../../billing/billing.service';
import { LedgerEntry } from '../../billing/ledger-entry.entity';
import { AuthUser } from '../../common/auth/auth-user';
import { DomainError } from '../../common/errors/domain-error';
import { quotaToCredits } from '../../common/money/money';
import { AppConfig } from '../../config/app-config';
import { CopyOutcome, MediaService } from '../../media/media.service';
import type { TaskEndedBy } from '../core/task-lifecycle.service';
import { VideoTask } from '../core/video-task.entity';
import { VideoTaskRepository } from '../core/video-task.repository';
import { TIMELINE_KINDS, TimelineEntryDto, TimelineKind, VideoTimelineDto } from './videos.dto';

// What is known about a task, each fact written in its own transaction when it happened.
export interface TimelineFacts {
  task: VideoTask;
  ledger: LedgerEntry[];
  copy: CopyOutcome | null;
  quotaPerCredit: number;
  forOperator: boolean;
}

// A task's timeline, for its owner and for operators. Read-only: it assembles what the task row,
// the ledger (the task's hold and its capture or release) and the media copy already recorded,
// so the submit and callback paths write nothing extra for it.
@Injectable()
export class VideoTimelineService {
  constructor(
    private readonly tasks: VideoTaskRepository,
    private readonly billing: BillingService,
    private readonly media: MediaService,
    private readonly config: AppConfig,
  ) {}

  // Another user's task is "not found", exactly like an unknown id.
  async forOwner(user: AuthUser, taskId: string): Promise<VideoTimelineDto> {
    const task = await this.tasks.findOwned(user.id, taskId);
    if (!task) throw DomainError.notFound('Video task');
    return this.build(task, false);
  }

  async forOperator(_admin: AuthUser, taskId: string): Promise<VideoTimelineDto> {
    const task = await this.tasks.findByTaskId(taskId);
    if (!task) throw DomainError.notFound('Video task');
    return this.build(task, true);
  }

  private async build(task: VideoTask, forOperator: boolean): Promise<VideoTimelineDto> {
    // Direct tasks hold under their own id; a batch item's money is the item's (no rows here).
    const [ledger, copy] = await Promise.all([
      this.billing.movementsFor({ type: 'task', id: task.taskId }),
      task.status === 'succeed' ? this.media.copyOutcomeOf(task.taskId) : null,
    ]);
    const entries = buildTimeline({ task, ledger, copy, quotaPerCredit: this.config.quotaPerCredit, forOperator });
    return { task_id: task.taskId, status: task.status, entries };
  }
}

// The entries oldest first; entries of the same second in the order of TIMELINE_KINDS.
export function buildTimeline(f: TimelineFacts): TimelineEntryDto[] {
  const entries = [...taskEntries(f.task, f.forOperator), ...moneyEntries(f.ledger, f.quotaPerCredit)];
  if (f.copy) entries.push(copyEntry(f.copy));
  const rank = (k: TimelineKind) => TIMELINE_KINDS.indexOf(k);
  return entries.sort((a, b) => a.at - b.at || rank(a.kind) - rank(b.kind));
}

function taskEntries(t: VideoTask, forOperator: boolean): TimelineEntryDto[] {
  const submitted: TimelineEntryDto = { at: t.createdAt, kind: 'submitted', upstream_task_id: t.upstreamTaskId };
  if (forOperator) submitted.channel_id = t.channelId;
  const out = [submitted];
  if (t.processingAt !== null) out.push({ at: t.processingAt, kind: 'processing' });
  if (t.finishedAt === null) return out;
  const endedBy = (t.endedBy as TaskEndedBy | null) ?? null;
  if (t.status === 'succeed') out.push({ at: t.finishedAt, kind: 'succeeded', ended_by: endedBy });
  if (t.status === 'failed')
    out.push({ at: t.finishedAt, kind: 'failed', ended_by: endedBy, fail_reason: t.failReason });
  return out;
}

// Amounts are quota units on the ledger: a hold raises `held`, a capture takes `amount` from the
// balance (and closes the hold), a release closes the hold and charges nothing.
function moneyEntries(ledger: LedgerEntry[], quotaPerCredit: number): TimelineEntryDto[] {
  const credits = (quota: number) => quotaToCredits(quota, quotaPerCredit);
  return ledger.flatMap((e): TimelineEntryDto[] => {
    if (e.kind === 'hold') return [{ at: e.createdAt, kind: 'credits_held', credits: credits(e.heldDelta) }];
    if (e.kind === 'capture') return [{ at: e.createdAt, kind: 'credits_captured', credits: credits(-e.amount) }];
    if (e.kind === 'release') return [{ at: e.createdAt, kind: 'credits_released', credits: credits(-e.heldDelta) }];
    return [];
  });
}

function copyEntry(c: CopyOutcome): TimelineEntryDto {
  return c.status === 'stored'
    ? { at: c.at, kind: 'stored' }
    : { at: c.at, kind: 'store_failed', store_error: c.error };
}
