import type { components } from '../api/schema';

export type SessionUser = components['schemas']['UserDto'];

export interface Session {
  token: string;
  user: SessionUser;
  expiresAt: number; // unix ms
}

export type EndReason = 'logout' | 'expired';

const KEY = 'reelay.session';

// The logged-in session, kept in localStorage so a reload or a second tab stays logged in.
// Components read it with useSession(); the API client adds its token to every request.
class SessionStore {
  private current: Session | null = read();
  private endReason: EndReason | null = null;
  private readonly listeners = new Set<() => void>();

  get(): Session | null {
    if (this.current && this.current.expiresAt <= Date.now()) this.clear('expired');
    return this.current;
  }

  lastEndReason(): EndReason | null {
    return this.endReason;
  }

  set(token: string, user: SessionUser, expiresInSeconds: number): void {
    this.current = { token, user, expiresAt: Date.now() + expiresInSeconds * 1000 };
    this.endReason = null;
    localStorage.setItem(KEY, JSON.stringify(this.current));
    this.emit();
  }

  updateUser(user: SessionUser): void {
    if (!this.current) return;
    this.current = { ...this.current, user };
    localStorage.setItem(KEY, JSON.stringify(this.current));
    this.emit();
  }

  clear(reason: EndReason): void {
    if (!this.current) return;
    this.current = null;
    this.endReason = reason;
    localStorage.removeItem(KEY);
    this.emit();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}

function read(): Session | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && typeof s.token === 'string' && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export const sessionStore = new SessionStore();
