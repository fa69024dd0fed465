import { expectErrorShape } from '../helpers/error-shape';
import { bearer, loginAdmin } from '../helpers/factories';
import { startTestApp, TestApp } from '../helpers/test-app';

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}
interface Operation {
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

// Every endpoint, taken from the live OpenAPI document, so a new endpoint is covered the day
// it is added.
describe('bad input on every endpoint', () => {
  let t: TestApp;
  let doc: Doc;
  let adminJwt: string;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/docs-json').expect(200)).body;
    adminJwt = (await loginAdmin(t)).jwt;
  });
  afterAll(() => t.close());

  const resolve = (s: Schema): Schema => {
    if (s.$ref) return resolve(doc.components.schemas[s.$ref.split('/').pop() as string]);
    if (s.allOf)
      return s.allOf
        .map(resolve)
        .reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    return s;
  };
  const sampleOf = (s: Schema): unknown => {
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    return { string: 'sample', integer: 1, number: 1, boolean: true, array: [] }[s.type ?? 'string'] ?? {};
  };
  const wrongTypeOf = (s: Schema): unknown => (s.type === 'string' || s.enum ? 12345 : 'not-the-right-type');

  // Reelay's own surfaces; /v1 speaks OpenAI's and Kling's shapes (their own suites check those).
  const operations = () =>
    Object.entries(doc.paths)
      .filter(([path]) => !path.startsWith('/v1/'))
      .flatMap(([path, ops]) =>
        METHODS.filter((m) => ops[m]).map((method) => ({
          method,
          op: ops[method],
          url: path.replace(/\{[^}]+\}/g, '1'),
          label: `${method.toUpperCase()} ${path}`,
        })),
      );

  const send = (method: Method, url: string, op: Operation) => {
    const req = t.http()[method](url);
    return op.security?.length ? req.set(bearer(adminJwt)) : req;
  };

  const bodyOps = () => operations().filter((o) => o.op.requestBody?.content['application/json']);

  it('finds the endpoints to test', () => {
    expect(bodyOps().length).toBeGreaterThanOrEqual(4);
  });

  it('answers malformed JSON with 400 malformed_body', async () => {
    for (const o of bodyOps()) {
      const res = await send(o.method, o.url, o.op).set('Content-Type', 'application/json').send('{"email": "x@y.z",');
      expect({ label: o.label, status: res.status }).toEqual({ label: o.label, status: 400 });
      expectErrorShape(res.body, 'malformed_body');
    }
  });

  it('answers a body that is not an object with 400', async () => {
    for (const o of bodyOps()) {
      for (const body of ['[]', '"text"', '42', 'null']) {
        const res = await send(o.method, o.url, o.op).set('Content-Type', 'application/json').send(body);
        expect({ label: o.label, body, status: res.status }).toEqual({ label: o.label, body, status: 400 });
        expectErrorShape(res.body);
      }
    }
  });

  it('names the field that has the wrong type, is missing, or is unknown', async () => {
    for (const o of bodyOps()) {
      const schema = resolve(o.op.requestBody!.content['application/json'].schema);
      const props = Object.entries(schema.properties ?? {});
      const valid = Object.fromEntries(props.map(([k, s]) => [k, sampleOf(resolve(s))]));

      for (const [field, s] of props) {
        const res = await send(o.method, o.url, o.op).send({ ...valid, [field]: wrongTypeOf(resolve(s)) });
        expect({ label: o.label, field, status: res.status }).toEqual({ label: o.label, field, status: 400 });
        expectErrorShape(res.body, 'validation_failed');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }

      for (const field of schema.required ?? []) {
        const { [field]: _omit, ...rest } = valid;
        const res = await send(o.method, o.url, o.op).send(rest);
        expect({ label: o.label, missing: field, status: res.status }).toEqual({
          label: o.label,
          missing: field,
          status: 400,
        });
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }

      const unknown = await send(o.method, o.url, o.op).send({ ...valid, not_a_field: true });
      expect({ label: o.label, status: unknown.status }).toEqual({ label: o.label, status: 400 });
      expect(unknown.body.error.details).toContainEqual({ field: 'not_a_field', message: 'is not a known field' });
    }
  });

  it('refuses unknown and mistyped query parameters on every list', async () => {
    const lists = operations().filter((o) => o.op.parameters?.some((p) => p.in === 'query' && p.name === 'page'));
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const o of lists) {
      for (const query of ['not_a_param=1', 'page=abc', 'page=0', 'page_size=101', 'page_size=1.5']) {
        const res = await send(o.method, `${o.url}?${query}`, o.op);
        expect({ label: o.label, query, status: res.status }).toEqual({ label: o.label, query, status: 400 });
        expectErrorShape(res.body, 'validation_failed');
      }
    }
  });

  it('refuses a non-numeric id in the path, naming it', async () => {
    const withId = operations().filter((o) => o.op.parameters?.some((p) => p.in === 'path' && p.name === 'id'));
    expect(withId.length).toBeGreaterThanOrEqual(2);
    for (const o of withId) {
      const res = await send(o.method, o.url.replace('/1', '/abc'), o.op).send({});
      expect({ label: o.label, status: res.status }).toEqual({ label: o.label, status: 400 });
      expect(res.body.error.details).toEqual([{ field: 'id', message: 'must be a positive integer' }]);
    }
  });

  it('answers an unsupported content type with 415 and an oversized body with 413', async () => {
    const res = await t.http().post('/api/auth/login').set('Content-Type', 'application/xml').send('<login/>');
    expect(res.status).toBe(415);
    expectErrorShape(res.body, 'unsupported_media_type');

    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(t.config.bodyLimitBytes) });
    const tooBig = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send(big);
    expect(tooBig.status).toBe(413);
    expectErrorShape(tooBig.body, 'payload_too_large');
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await t.http().get('/api/no-such-thing').expect(404);
    expectErrorShape(res.body, 'route_not_found');
  });
});
