import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.service';
import { ApiToken, ApiTokenScope } from './api-token.entity';
import { UserPlan, UserRole, UserStatus } from '../common/auth/auth-user';
import { User } from './user.entity';

// How long another replica may keep accepting a key revoked (or a user disabled, demoted or
// re-planned) elsewhere. In the process that made the change it takes effect at once.
export const AUTH_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

export interface CachedUser {
  id: number;
  email: string;
  role: UserRole;
  plan: UserPlan;
  status: UserStatus;
  sessionVersion: number;
}

export interface CachedToken {
  id: number;
  userId: number;
  scope: ApiTokenScope;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

// A key's spending caps (quota per UTC day and month; null: no cap).
export interface CachedCaps {
  quotaPerDay: number | null;
  quotaPerMonth: number | null;
}

interface Entry<T> {
  at: number;
  value: T;
}

// Who a credential belongs to, remembered for a moment: reading the token and user rows on
// every request was the relay's biggest per-request database cost. Writers call forget* after
// their change commits; a read that started before a forget never stores what it read (the
// generation moved), so a change cannot be undone by a slow concurrent lookup.
@Injectable()
export class AuthCache {
  private readonly users = new Map<number, Entry<CachedUser>>();
  private readonly tokens = new Map<string, Entry<CachedToken>>(); // by key hash
  private readonly caps = new Map<number, Entry<CachedCaps>>(); // by token id
  private gen = 0;

  constructor(private readonly clock: Clock) {}

  // Take this before the database read whose result goes into remember*.
  generation(): number {
    return this.gen;
  }

  user(id: number): CachedUser | undefined {
    return this.fresh(this.users, id);
  }

  token(keyHash: string): CachedToken | undefined {
    return this.fresh(this.tokens, keyHash);
  }

  // A key's caps, read by every hold the key pays for; forgetToken drops them with the key.
  tokenCaps(tokenId: number): CachedCaps | undefined {
    return this.fresh(this.caps, tokenId);
  }

  rememberCaps(tokenId: number, caps: CachedCaps, generation: number): void {
    if (generation === this.gen) this.put(this.caps, tokenId, caps);
  }

  rememberUser(user: CachedUser, generation: number): void {
    if (generation === this.gen) this.put(this.users, user.id, user);
  }

  rememberToken(keyHash: string, token: CachedToken, generation: number): void {
    if (generation === this.gen) this.put(this.tokens, keyHash, token);
  }

  forgetUser(id: number): void {
    this.gen++;
    this.users.delete(id);
  }

  forgetToken(id: number): void {
    this.gen++;
    for (const [hash, e] of this.tokens) if (e.value.id === id) this.tokens.delete(hash);
    this.caps.delete(id);
  }

  private fresh<K, T>(map: Map<K, Entry<T>>, key: K): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    const age = this.clock.nowMs() - e.at;
    if (age >= 0 && age < AUTH_CACHE_TTL_MS) return e.value; // a clock moved back expires it too
    map.delete(key);
    return undefined;
  }

  private put<K, T>(map: Map<K, Entry<T>>, key: K, value: T): void {
    map.delete(key);
    // Oldest first in insertion order: a flood of distinct keys cannot grow the map unbounded.
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as K);
    map.set(key, { at: this.clock.nowMs(), value });
  }
}

export function toCachedToken(t: ApiToken): CachedToken {
  return { id: t.id, userId: t.userId, scope: t.scope, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt };
}

export function toCachedUser(u: User): CachedUser {
  return { id: u.id, email: u.email, role: u.role, plan: u.plan, status: u.status, sessionVersion: u.sessionVersion };
}
