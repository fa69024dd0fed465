import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TaskEndListener, TaskOutcome, TaskOwners } from '../relay/core/task-owner';
import { VideoTask } from '../relay/core/video-task.entity';
import { WebhookOutbox } from './webhook-outbox.service';

// In the transaction that ends a task, whoever owns it: video.completed / video.failed for the
// user's endpoints, and Kling's callback body for the task's own callback_url when it has one.
// A task refused at submit sends nothing (the client had its answer then).
@Injectable()
export class WebhookTaskEndListener extends TaskEndListener implements OnModuleInit {
  constructor(
    private readonly owners: TaskOwners,
    private readonly outbox: WebhookOutbox,
  ) {
    super();
  }

  onModuleInit(): void {
    this.owners.listen(this);
  }

  // The users' endpoints, read with the lock on the group's tasks (one round trip fewer per group).
  override beforeEnds(em: EntityManager, tasks: readonly VideoTask[]): void {
    this.outbox.readEndpointsAhead(
      em,
      tasks.map((t) => t.userId),
    );
  }

  async onTaskEnded(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<void> {
    // Refused at submit: the client got the error in its answer and never saw this task.
    if (outcome.status === 'failed' && outcome.atSubmit) return;
    await this.outbox.enqueueTaskEvent(em, task, outcome.status === 'succeed' ? 'video.completed' : 'video.failed');
    if (task.clientCallbackUrl)
      await this.outbox.enqueueKlingCallback(em, task, task.clientCallbackUrl, task.clientRef);
  }
}
