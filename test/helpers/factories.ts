import { randomBytes } from 'node:crypto';
import { TEST_ADMIN, TestApp } from './test-app';

export interface TestUser {
  id: number;
  email: string;
  password: string;
  jwt: string;
}

// A fresh user per test, so tests never share rows.
export async function registerUser(t: TestApp, prefix = 'user'): Promise<TestUser> {
  const email = `${prefix}-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const res = await t.http().post('/api/auth/register').send({ email, password }).expect(201);
  return { id: res.body.user.id, email, password, jwt: res.body.access_token };
}

export async function loginAdmin(t: TestApp): Promise<TestUser> {
  const res = await t.http().post('/api/auth/login').send(TEST_ADMIN).expect(200);
  return { id: res.body.user.id, email: TEST_ADMIN.email, password: TEST_ADMIN.password, jwt: res.body.access_token };
}

export async function createApiKey(
  t: TestApp,
  user: TestUser,
  name = 'test-key',
): Promise<{ id: number; key: string }> {
  const res = await t.http().post('/api/tokens').set('Authorization', `Bearer ${user.jwt}`).send({ name }).expect(201);
  return { id: res.body.id, key: res.body.key };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
