import type { UserPlan, UserRole } from '../../auth/user.entity';

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
