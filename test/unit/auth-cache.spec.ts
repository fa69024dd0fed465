import { AUTH_CACHE_TTL_MS, AuthCache, CachedToken, CachedUser } from '../../src/auth/auth-cache';
import { Clock } from '../../src/common/clock/clock.service';

class FakeClock extends Clock {
  ms = 1_000_000;
  override nowMs(): number {
    return this.ms;
  }
}

const user: CachedUser = {
  id: 7,
  email: 'a@example.test',
  role: 'user',
  plan: 'free',
  status: 'active',
  sessionVersion: 0,
};
const token: CachedToken = { id: 3, userId: 7, scope: 'all', expiresAt: null, lastUsedAt: null };

describe('AuthCache', () => {
  let clock: FakeClock;
  let cache: AuthCache;
  beforeEach(() => {
    clock = new FakeClock();
    cache = new AuthCache(clock);
  });

  it('serves an entry for the TTL and not after, so other replicas catch up within it', () => {
    cache.rememberUser(user, cache.generation());
    cache.rememberToken('h', token, cache.generation());
    clock.ms += AUTH_CACHE_TTL_MS - 1;
    expect(cache.user(7)).toEqual(user);
    expect(cache.token('h')).toEqual(token);
    clock.ms += 1;
    expect(cache.user(7)).toBeUndefined();
    expect(cache.token('h')).toBeUndefined();
  });

  it('expires entries when the clock moves back', () => {
    cache.rememberUser(user, cache.generation());
    clock.ms -= 10;
    expect(cache.user(7)).toBeUndefined();
  });

  it('forgets a revoked token and a changed user at once', () => {
    cache.rememberUser(user, cache.generation());
    cache.rememberToken('h', token, cache.generation());
    cache.rememberToken('other', { ...token, id: 4 }, cache.generation());
    cache.forgetToken(3);
    cache.forgetUser(7);
    expect(cache.token('h')).toBeUndefined();
    expect(cache.user(7)).toBeUndefined();
    expect(cache.token('other')).toEqual({ ...token, id: 4 });
  });

  it('does not store what a lookup read before a concurrent change was forgotten', () => {
    const before = cache.generation();
    cache.forgetUser(7); // the admin's change commits while the lookup is in flight
    cache.rememberUser({ ...user, role: 'admin' }, before);
    cache.rememberToken('h', token, before);
    expect(cache.user(7)).toBeUndefined();
    expect(cache.token('h')).toBeUndefined();
  });

  it('stays bounded under a flood of distinct keys', () => {
    for (let i = 0; i < 10_050; i++) cache.rememberToken(`k${i}`, { ...token, id: i }, cache.generation());
    expect(cache.token('k0')).toBeUndefined();
    expect(cache.token('k10049')).toBeDefined();
  });
});
