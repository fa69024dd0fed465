import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Db } from '../database/db.service';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { IdempotencyRepository, ResourceRef } from './idempotency.repository';

// The key a running request holds, as the interceptor claimed it.
export interface HeldKey {
  id: number;
  token: string;
  userId: number;
  recorded: ResourceRef | null;
  settled: boolean;
  renew: NodeJS.Timeout | null;
}

export interface ReplayedResponse {
  status: number;
  body: unknown;
}

// Renders the answer a request would have given for what it created (a task, a batch, an
// order), for a retry that resumes a key whose request died after creating it.
export type Replay = (userId: number, resource: ResourceRef) => Promise<ReplayedResponse>;

// What services see of `Idempotency-Key`: inside the transaction that creates something that
// costs money, `recordCreated` ties it to the caller's key (a no-op without one). The key is
// carried in AsyncLocalStorage because it belongs to the request, not to any service signature.
@Injectable()
export class Idempotency {
  private readonly held = new AsyncLocalStorage<HeldKey>();
  private readonly replays = new Map<string, Replay>();

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly db: Db,
  ) {}

  run<T>(key: HeldKey, work: () => Promise<T>): Promise<T> {
    return this.held.run(key, work);
  }

  // The request's key, for work that runs outside its async context (a group commit).
  heldKey(): HeldKey | undefined {
    return this.held.getStore();
  }

  // Throws (rolling the creation back) when this request lost its key to a retry.
  async recordCreated(em: EntityManager, resource: ResourceRef, key = this.held.getStore()): Promise<void> {
    if (!key) return;
    // A transaction retried after a deadlock records the same resource again, which is fine.
    if (key.recorded && (key.recorded.type !== resource.type || key.recorded.id !== resource.id)) {
      throw new Error(`One request created two resources under key ${key.id}`);
    }
    if (!(await this.keys.recordResource(em, key.id, key.token, resource))) {
      throw new DomainError(ErrorCode.IdempotencyInFlight, 'This Idempotency-Key was taken over by a retry');
    }
    // The request's only once it committed: an attempt that rolled back (a group commit re-run
    // caller by caller, a deadlock retry) created nothing, and must not keep the key from a retry.
    this.db.afterCommit(em, () => (key.recorded = resource));
  }

  register(name: string, replay: Replay): void {
    if (this.replays.has(name)) throw new Error(`Idempotent replay ${name} registered twice`);
    this.replays.set(name, replay);
  }

  replay(name: string): Replay {
    const r = this.replays.get(name);
    if (!r) throw new Error(`No idempotent replay named ${name}`);
    return r;
  }
}
