import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

export const USER_ROLES = ['admin', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
// Seed 004's plans: what a user bought decides their batch limits.
export const USER_PLANS = ['free', 'pro', 'pro_plus', 'enterprise'] as const;
export type UserPlan = (typeof USER_PLANS)[number];

// Where a request came from: the client address (Fastify's request.ip, which follows
// X-Forwarded-For only when TRUST_PROXY is on) and the request id every answer carries.
export interface RequestOrigin {
  ip: string;
  requestId: string;
}

// Who is calling, as the guards established it. Services take it first and check access.
export interface AuthUser {
  id: number;
  email: string;
  role: UserRole;
  plan: UserPlan;
  via: 'jwt' | 'api_token';
  tokenId?: number;
  // For API keys: 'video' keys reach only the video generation routes.
  tokenScope?: 'all' | 'video';
  // Set by the authentication guard for HTTP requests (the audit trail records it).
  origin?: RequestOrigin;
}

// Admin-only service methods check this themselves too: the route guard is not their only gate.
export function assertAdmin(user: AuthUser): void {
  if (user.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Admin role required');
}
