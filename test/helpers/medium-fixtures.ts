import { randomBytes } from 'node:crypto';
import { UserRepository } from '../../src/auth/user.repository';
import { BillingService } from '../../src/billing/billing.service';
import { ChannelsService } from '../../src/channels/channels.service';
import { CreateChannelDto } from '../../src/channels/channels.dto';
import { AuthUser, UserPlan } from '../../src/common/auth/auth-user';
import { TestServices } from './test-services';

export const CREDIT = 1000; // quota units per credit (the default)

export const ADMIN: AuthUser = { id: 1, email: 'admin@reelay.test', role: 'admin', plan: 'enterprise', via: 'jwt' };

// A fresh user, straight through the repository (no HTTP in the middle tier).
export async function newUser(s: TestServices, plan: UserPlan = 'free'): Promise<AuthUser> {
  const email = `m-${randomBytes(6).toString('hex')}@example.test`;
  const user = await s.get(UserRepository).insertUser({ email, passwordHash: 'x', role: 'user', plan, now: 1 });
  if (!user) throw new Error('user not created');
  return { id: user.id, email, role: 'user', plan, via: 'api_token' };
}

export async function fund(s: TestServices, user: AuthUser, credits: number): Promise<void> {
  await s.get(BillingService).credit(user.id, credits * CREDIT, { type: 'order', id: randomBytes(8).toString('hex') });
}

export async function channel(
  s: TestServices,
  dto: Partial<CreateChannelDto> & Pick<CreateChannelDto, 'type' | 'base_url' | 'key' | 'models'>,
): Promise<number> {
  return (await s.get(ChannelsService).create(ADMIN, { name: `${dto.type}-channel`, ...dto })).id;
}
