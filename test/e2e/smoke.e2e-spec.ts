import { startTestApp, TestApp } from '../helpers/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /health', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
  });
});
