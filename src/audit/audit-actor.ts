import { AuthUser, RequestOrigin } from '../common/auth/auth-user';
import { ActorType } from './audit-entry.entity';

// Who did something, and from where (null for Reelay's own jobs).
export interface AuditActor {
  type: ActorType;
  id: number | null;
  label: string | null;
  ip: string | null;
  requestId: string | null;
}

// A logged-in user, with the address and request id the authentication guard put on it.
export function userActor(user: AuthUser): AuditActor {
  return {
    type: 'user',
    id: user.id,
    label: user.email,
    ip: user.origin?.ip ?? null,
    requestId: user.origin?.requestId ?? null,
  };
}

// One of Reelay's own jobs or pipelines (the relay disabling a channel, the channel re-check).
export function systemActor(name: string): AuditActor {
  return { type: 'system', id: null, label: name, ip: null, requestId: null };
}

// A request without a session (a login attempt), known by its address only.
export function anonymousActor(origin: RequestOrigin | undefined): AuditActor {
  return { type: 'anonymous', id: null, label: null, ip: origin?.ip ?? null, requestId: origin?.requestId ?? null };
}
