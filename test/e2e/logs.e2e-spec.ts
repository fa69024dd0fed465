import { Logger } from 'nestjs-pino';
import { bearer } from '../helpers/factories';
import { fundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';
import { SECRET_PARAMS } from '../helpers/secret-params';

describe('logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const linesOf = (requestId: string) =>
    t.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.req?.id === requestId || l.request_id === requestId);

  it.each(SECRET_PARAMS)('shows [Redacted] for a %s query parameter in the request line', async (name) => {
    const value = `v-${name.length}-${Date.now()}-secret`;
    const res = await t.http().get(`/api/packages?${encodeURIComponent(name)}=${value}&page=1`);
    const lines = linesOf(res.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0].req.url).toContain(`${encodeURIComponent(name)}=[Redacted]`);
    expect(t.logs.text()).not.toContain(value);
  });

  it('redacts secret-bearing names in logged bodies', () => {
    t.app
      .get(Logger)
      .log({ body: { email: 'x@y.z', Password: 'body-secret-1', deep: { 'X-Api-Key': 'body-secret-2' } } }, 'body');
    const text = t.logs.text();
    expect(text).not.toContain('body-secret-1');
    expect(text).not.toContain('body-secret-2');
    expect(text).toContain('"Password":"[Redacted]"');
  });

  it('logs a failure once: an expected 503 is one warning line, without a stack', async () => {
    const u = await fundedUser(t, 100);
    const res = await t
      .http()
      .post('/kling/v1/videos/text2video')
      .set(bearer(u.key))
      .send({ model: 'kling-v1-6-std', prompt: 'no channel serves this' });
    expect(res.status).toBe(503);
    const lines = linesOf(res.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, res: { statusCode: 503 }, err: { code: 'no_channel' } });
    expect(JSON.stringify(lines[0])).not.toContain('stack');
  });
});
