import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VideoTask } from './video-task.entity';

// How a task ended. A failure at submit says whether another attempt could succeed (no channel
// took it for a passing reason) or not (the request itself was refused).
export type TaskOutcome =
  { status: 'succeed' } | { status: 'failed'; reason: string; atSubmit: boolean; retryable: boolean };

// A task's owner knows what the task's start and end mean for money. The core never asks what
// kind of task it has: it calls the owner named on the task, inside the transaction that
// creates the task and inside the one that ends it.
export abstract class TaskOwner {
  abstract readonly name: string;

  // With the task row, in its creating transaction (the direct owner holds the price here).
  abstract onCreated(em: EntityManager, task: VideoTask): Promise<void>;

  // With the terminal status change. Returns the quota charged (0 when nothing was).
  abstract onFinished(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<{ charged: number }>;
}

// Work that must commit with every task's end whoever owns it (webhook outbox rows, media copy
// jobs): if the transaction commits, it is recorded; if the process dies, neither happened.
export abstract class TaskEndListener {
  abstract onTaskEnded(em: EntityManager, task: VideoTask, outcome: TaskOutcome): Promise<void>;

  // In the transaction about to end these tasks (a group's), before they are locked: a listener
  // may ask now for what onTaskEnded will read (Db.rowsAhead), so it goes with the lock's round trip.
  beforeEnds(_em: EntityManager, _tasks: readonly VideoTask[]): void {}
}

// Owners and listeners register themselves at start-up from their own modules, so the core
// depends on no owner (batch → relay core, never the reverse).
@Injectable()
export class TaskOwners {
  private readonly owners = new Map<string, TaskOwner>();
  private readonly endListeners: TaskEndListener[] = [];

  register(owner: TaskOwner): void {
    if (this.owners.has(owner.name)) throw new Error(`Task owner ${owner.name} registered twice`);
    this.owners.set(owner.name, owner);
  }

  listen(listener: TaskEndListener): void {
    this.endListeners.push(listener);
  }

  get(name: string): TaskOwner {
    const owner = this.owners.get(name);
    if (!owner) throw new Error(`No task owner named ${name}`);
    return owner;
  }

  get listeners(): readonly TaskEndListener[] {
    return this.endListeners;
  }
}
