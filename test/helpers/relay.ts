import { bearer, createApiKey, loginAdmin, registerUser, TestUser } from './factories';
import { TestApp } from './test-app';

export interface FundedUser extends TestUser {
  key: string;
}

// A fresh user with `credits` and an API key.
export async function fundedUser(t: TestApp, credits: number, prefix = 'payer'): Promise<FundedUser> {
  const u = await registerUser(t, prefix);
  if (credits > 0) {
    const admin = await loginAdmin(t);
    await t
      .http()
      .post(`/api/admin/users/${u.id}/credits`)
      .set(bearer(admin.jwt))
      .send({ amount: credits, reason: 'test funds' })
      .expect(201);
  }
  const { key } = await createApiKey(t, u);
  return { ...u, key };
}

export async function addChannel(
  t: TestApp,
  body: {
    name?: string;
    type?: 'kling' | 'viva';
    base_url: string;
    key: string;
    models: string[];
    priority?: number;
    weight?: number;
  },
): Promise<{ id: number }> {
  const admin = await loginAdmin(t);
  const res = await t
    .http()
    .post('/api/admin/channels')
    .set(bearer(admin.jwt))
    .send({ name: body.name ?? 'sim', type: body.type ?? 'kling', ...body })
    .expect(201);
  return { id: res.body.id as number };
}

// Adds (or replaces) formula prices for models the seed table does not have.
export async function addFormulaPrices(t: TestApp, prices: Record<string, number>): Promise<void> {
  const admin = await loginAdmin(t);
  const current = await t.http().get('/api/admin/prices?page_size=100').set(bearer(admin.jwt)).expect(200);
  const items = (current.body.items as Array<{ model: string; updated_at?: number }>)
    .filter((i) => !(i.model in prices))
    .map(({ updated_at: _u, ...rest }) => rest);
  for (const [model, base] of Object.entries(prices))
    items.push({ model, scheme: 'kling_formula', base_credits: base } as never);
  await t.http().put('/api/admin/prices').set(bearer(admin.jwt)).send({ items }).expect(200);
}
