import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

export interface TaskEndedEvent {
  taskId: string;
  owner: string;
}

// In-process notice that a task ended, after its transaction committed, for owners that want to
// react at once (the batch engine fills the freed slot). Only a hint: money and state moved in
// the transaction, so a missed notice costs one engine tick, nothing more.
@Injectable()
export class TaskEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(20);

  ended(e: TaskEndedEvent): void {
    this.emitter.emit('ended', e);
  }

  onEnded(listener: (e: TaskEndedEvent) => void): () => void {
    this.emitter.on('ended', listener);
    return () => this.emitter.off('ended', listener);
  }
}
