import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TaskEndListener, TaskOutcome, TaskOwners } from '../relay/core/task-owner';
import { VideoTask } from '../relay/core/video-task.entity';
import { MediaCopies } from './media-copies.service';

// Copy on success: in the transaction that makes a task succeed, whoever owns it, the copy job
// of its video is written (so it exists exactly when the success does).
@Injectable()
export class MediaTaskEndListener extends TaskEndListener implements OnModuleInit {
  constructor(
    private readonly owners: TaskOwners,
    private readonly copies: MediaCopies,
  ) {
    super();
  }

  onModuleInit(): void {
    this.owners.listen(this);
  }

  async onTaskEnded(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<void> {
    if (outcome.status !== 'succeed' || !task.storeUrl) return;
    await this.copies.enqueue(em, { taskId: task.taskId, userId: task.userId, sourceUrl: task.storeUrl });
  }
}
