import type { UserPlan, UserRole } from '../../auth/user.entity';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

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
}

// Admin-only service methods check this themselves too: the route guard is not their only gate.
export function assertAdmin(user: AuthUser): void {
  if (user.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Admin role required');
}
