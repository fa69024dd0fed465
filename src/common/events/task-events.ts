import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

// In-process notice that a task reached a terminal state, for modules above the task
// lifecycle (the batch engine) to react at once instead of on their next tick. Only a hint:
// the database stays the source of truth, so a missed notice costs one tick, nothing more.
@Injectable()
export class TaskEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(20);

  finished(taskId: string, billedBy: string | null): void {
    this.emitter.emit('finished', { taskId, billedBy });
  }

  onFinished(listener: (e: { taskId: string; billedBy: string | null }) => void): () => void {
    this.emitter.on('finished', listener);
    return () => this.emitter.off('finished', listener);
  }
}
