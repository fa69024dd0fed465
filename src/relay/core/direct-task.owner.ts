import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BillingService } from '../../billing/billing.service';
import { SpendCaps } from '../../billing/spend-caps.service';
import { Db } from '../../common/database/db.service';
import { Provider } from '../../metrics/metric-labels';
import { CreditMovement, Metrics } from '../../metrics/metrics.service';
import { TaskOutcome, TaskOwner, TaskOwners } from './task-owner';
import { VideoTask } from './video-task.entity';

export const DIRECT_OWNER = 'direct';

// A task submitted on its own (Kling routes, Veo, the unified API): it holds its price under
// its own id at submit (within its key's spending caps), captures it once on success and releases
// it on failure.
@Injectable()
export class DirectTaskOwner extends TaskOwner implements OnModuleInit {
  readonly name = DIRECT_OWNER;

  constructor(
    private readonly billing: BillingService,
    private readonly caps: SpendCaps,
    private readonly owners: TaskOwners,
    private readonly db: Db,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  // Money moved, for the metrics once it committed.
  private credits(movement: CreditMovement, task: VideoTask, quota: number): void {
    this.metrics.credits({ movement, provider: task.provider as Provider, quota });
  }

  onModuleInit(): void {
    this.owners.register(this);
  }

  async onCreated(em: EntityManager, task: VideoTask): Promise<void> {
    if (task.tokenId !== null) await this.caps.reserve(em, task.tokenId, task.quota, task.createdAt);
    await this.billing.hold(task.userId, task.quota, taskRef(task), em);
    this.db.afterCommit(em, () => this.credits('held', task, task.quota));
  }

  async onFinished(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<{ charged: number }> {
    if (outcome.status === 'failed') {
      const released = await this.billing.release(taskRef(task), em, heldFor(task));
      if (released.status === 'released') {
        if (task.tokenId !== null) await this.caps.giveBack(em, task.tokenId, task.quota, task.createdAt);
        this.db.afterCommit(em, () => this.credits('released', task, task.quota));
      }
      return { charged: 0 };
    }
    const captured = await this.billing.capture(taskRef(task), undefined, em, heldFor(task));
    const charged = captured.status === 'captured' ? captured.charged : 0;
    this.db.afterCommit(em, () => this.credits('captured', task, charged));
    return { charged };
  }
}

const taskRef = (task: VideoTask) => ({ type: 'task' as const, id: task.taskId });
// What onCreated held for the task.
const heldFor = (task: VideoTask) => ({ userId: task.userId, amount: task.quota });
