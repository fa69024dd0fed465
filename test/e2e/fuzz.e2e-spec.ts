import type { LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { HostResolver } from '../../src/common/outbound/outbound-guard.service';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { startVivaSimulator, VivaSimulator } from '../../tools/simulators/viva/viva-simulator';
import { alipayEnv } from '../helpers/alipay';
import { FakeAlipay, startFakeAlipay } from '../helpers/fake-alipay';
import { bearer, loginAdmin } from '../helpers/factories';
import { prng } from '../helpers/prng';
import { addChannel, fundedUser, FundedUser } from '../helpers/relay';
import { startTestApp, TestApp } from '../helpers/test-app';

// Walks every operation of the committed OpenAPI document (so operations added later are fuzzed
// too) and sends what a hostile or careless client would: wrong types, missing fields, nulls,
// huge and non-finite numbers, 1 MB strings, lone surrogates, prototype-named keys and values,
// deep nesting, wrong content types, hostile query and path parameters. Nothing may answer 5xx.
// Values are sampled with a fixed seed, so a failure replays exactly.

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}
interface Operation {
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Probe {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const DOC = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')) as Doc;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SEED = 20261130;
const MB_STRING = 'x'.repeat(1024 * 1024);
// Stand-ins replaced in the JSON text: JSON.parse turns 1e999 into Infinity.
const RAW = { inf: '__RAW_INF__', negInf: '__RAW_NEG_INF__' };

// Hostile values for any body field.
const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 64,
  1e20,
  '',
  ' ',
  '\ud800', // JSON.stringify writes the lone surrogate as an escape
  'a\udfffb',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '1e999',
  '0x7f000001',
  "' OR 1=1 --",
  '\u0000',
  '😀'.repeat(100),
  [],
  [null],
  {},
  { constructor: { prototype: { polluted: true } } },
  [[[[[[[[[[]]]]]]]]]],
  RAW.inf,
  RAW.negInf,
];
const HOSTILE_PARAMS = [
  '1e20',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '1e400',
  '99999999999999999999',
  'constructor',
  '__proto__',
  '%ED%A0%80', // a lone surrogate, UTF-8 encoded
  '%00',
  '%',
  'x'.repeat(4000),
];

describe('fuzzing every operation of docs/openapi.json', () => {
  let t: TestApp;
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let viva: VivaSimulator;
  let alipay: FakeAlipay;
  let user: FundedUser;
  let adminJwt: string;

  beforeAll(async () => {
    kling = await startKlingSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 50 } });
    kling.addKey('ak-fuzz', 'sk-fuzz');
    kie = await startKieSimulator({ behavior: { processingAfterMs: 10, completeAfterMs: 50 } });
    kie.addKey('kie-fuzz');
    viva = await startVivaSimulator({});
    viva.addKey('viva-fuzz');
    alipay = await startFakeAlipay();
    // Every name resolves to loopback: nothing the fuzz configures can reach past this machine.
    const resolver = new (class extends HostResolver {
      override lookup(): Promise<LookupAddress[]> {
        return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
      }
    })();
    t = await startTestApp({
      env: { ...alipayEnv(), ALIPAY_GATEWAY: alipay.gateway, OUTBOUND_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'warn' },
      override: (b) => b.overrideProvider(HostResolver).useValue(resolver),
    });
    adminJwt = (await loginAdmin(t)).jwt;
    await addChannel(t, { base_url: kling.url, key: 'ak-fuzz|sk-fuzz', models: ['kling-v1-6-std', 'kling-v1-6-pro'] });
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(adminJwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-fuzz', models: ['sora-2', 'sora-2-pro'] })
      .expect(201);
    await addChannel(t, { name: 'viva', type: 'viva', base_url: viva.url, key: 'viva-fuzz', models: ['veo3'] });
    user = await fundedUser(t, 100_000, 'fuzz');
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await kling.close();
    await kie.close();
    await viva.close();
    await alipay.close();
  });

  const resolve = (s: Schema | undefined): Schema => {
    if (!s) return {};
    if (s.$ref) return resolve(DOC.components.schemas[s.$ref.split('/').pop() as string]);
    if (s.allOf) {
      return s.allOf
        .map(resolve)
        .reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    }
    return s;
  };

  // A plausible value for a schema (its example, an enum value, or one of its type).
  const sample = (raw: Schema | undefined, depth = 0): unknown => {
    const s = resolve(raw);
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.properties && depth < 4) {
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(v, depth + 1)]));
    }
    if (s.type === 'array') return s.items && depth < 4 ? [sample(s.items, depth + 1)] : [];
    return { string: 'sample', integer: 1, number: 1, boolean: true, object: {} }[s.type ?? 'string'] ?? 'sample';
  };

  const wrongType = (s: Schema): unknown =>
    s.type === 'string' || s.enum ? 12345 : s.type === 'array' ? { not: 'a list' } : 'not-the-right-type';

  const toJson = (value: unknown) =>
    JSON.stringify(value).replaceAll(`"${RAW.inf}"`, '1e999').replaceAll(`"${RAW.negInf}"`, '-1e999');

  function bodyProbes(base: Omit<Probe, 'label'>, label: string, schema: Schema, random: () => number): Probe[] {
    const probes: Probe[] = [];
    const add = (what: string, body: string | Buffer, contentType = 'application/json') =>
      probes.push({
        ...base,
        label: `${label} ${what}`,
        body,
        headers: { ...base.headers, 'content-type': contentType },
      });
    const valid = sample(schema) as Record<string, unknown>;
    add('valid sample', toJson(valid));
    // Whole-body shapes.
    for (const body of [
      '',
      'null',
      '[]',
      '"text"',
      '42',
      '{',
      '{"a":1,"a":2}',
      '{"__proto__":{"x":1}}',
      '{"\\ud800":1}',
    ]) {
      add(`body ${body || '(empty)'}`, body);
    }
    add('nested 40 deep', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`);
    add('nested 100000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    add('1 MB string field', toJson({ ...valid, [Object.keys(valid)[0] ?? 'x']: MB_STRING }));
    add(
      'unknown and prototype-named fields',
      toJson({ ...valid, constructor: 1, hasOwnProperty: 'x', toString: null }),
    );
    for (const type of [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
    ]) {
      add(`as ${type}`, type.startsWith('application/json') ? toJson(valid) : 'a=1&b=2', type);
    }
    // Field by field: null, a wrong type, a huge value, and sampled hostile values; each required
    // field left out; nested objects one level down.
    const fields = Object.entries(resolve(schema).properties ?? {});
    for (const [field, raw] of fields) {
      const s = resolve(raw);
      const values = [null, wrongType(s), RAW.inf, 1e308, 'constructor'];
      for (let i = 0; i < 3; i++) values.push(HOSTILE[Math.floor(random() * HOSTILE.length)]);
      for (const v of values) add(`${field}=${JSON.stringify(v)?.slice(0, 40)}`, toJson({ ...valid, [field]: v }));
      const nested = s.type === 'array' ? resolve(s.items) : s;
      for (const [inner, innerRaw] of Object.entries(nested.properties ?? {})) {
        const innerValid = sample(nested) as Record<string, unknown>;
        for (const v of [null, wrongType(resolve(innerRaw)), RAW.inf, HOSTILE[Math.floor(random() * HOSTILE.length)]]) {
          const mutated = { ...innerValid, [inner]: v };
          add(
            `${field}.${inner}=${JSON.stringify(v)?.slice(0, 40)}`,
            toJson({ ...valid, [field]: s.type === 'array' ? [mutated] : mutated }),
          );
        }
      }
    }
    for (const field of resolve(schema).required ?? []) {
      const { [field]: _dropped, ...rest } = valid;
      add(`without ${field}`, toJson(rest));
    }
    return probes;
  }

  function probesFor(path: string, method: string, op: Operation, random: () => number): Probe[] {
    const auth = path.startsWith('/api/admin') ? adminJwt : user.jwt;
    const headers: Record<string, string> = op.security?.length ? { authorization: `Bearer ${auth}` } : {};
    const params = op.parameters ?? [];
    const fill = (overrides: Record<string, string> = {}) =>
      path.replace(
        /\{([^}]+)\}/g,
        (_m, name: string) => overrides[name] ?? (name === 'id' ? '999999' : 'fuzz_missing'),
      );
    const base = { method: method.toUpperCase(), path: fill(), headers };
    const label = `${method.toUpperCase()} ${path}`;
    const probes: Probe[] = [{ ...base, label: `${label} plain` }];
    for (const p of params.filter((x) => x.in === 'path')) {
      for (const v of HOSTILE_PARAMS)
        probes.push({ ...base, label: `${label} path ${p.name}=${v.slice(0, 20)}`, path: fill({ [p.name]: v }) });
    }
    for (const p of params.filter((x) => x.in === 'query')) {
      for (const v of HOSTILE_PARAMS)
        probes.push({ ...base, label: `${label} ?${p.name}=${v.slice(0, 20)}`, path: `${base.path}?${p.name}=${v}` });
      probes.push({ ...base, label: `${label} ?${p.name} twice`, path: `${base.path}?${p.name}=1&${p.name}=2` });
    }
    for (const p of params.filter((x) => x.in === 'header')) {
      for (const v of ['x'.repeat(300), 'Infinity', '1e400', '-1', 'constructor', '']) {
        probes.push({
          ...base,
          label: `${label} header ${p.name}=${v.slice(0, 20)}`,
          headers: { ...headers, [p.name.toLowerCase()]: v },
        });
      }
    }
    const json = op.requestBody?.content['application/json'];
    if (json) probes.push(...bodyProbes(base, label, json.schema, random));
    else if (method !== 'get' && method !== 'delete') {
      probes.push({
        ...base,
        label: `${label} unexpected JSON body`,
        body: '{"a":1e999}',
        headers: { ...headers, 'content-type': 'application/json' },
      });
      probes.push({
        ...base,
        label: `${label} unexpected form body`,
        body: 'a=%ED%A0%80&__proto__=1',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      });
    }
    return probes;
  }

  async function send(p: Probe): Promise<number> {
    const res = await request(`${t.baseUrl}${p.path}`, {
      method: p.method as 'GET',
      headers: p.headers,
      body: p.body,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    await res.body.dump();
    return res.statusCode;
  }

  it('answers every probe below 500', async () => {
    const random = prng(SEED);
    const probes = Object.entries(DOC.paths).flatMap(([path, ops]) =>
      METHODS.filter((m) => ops[m]).flatMap((m) => probesFor(path, m, ops[m], random)),
    );
    const operations = Object.values(DOC.paths).reduce((n, ops) => n + METHODS.filter((m) => ops[m]).length, 0);
    expect(operations).toBeGreaterThanOrEqual(50);
    expect(probes.length).toBeGreaterThan(2000);

    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const p = probes[next++];
        try {
          const status = await send(p);
          if (status >= 500) failures.push(`${status} ${p.label}`);
        } catch (err) {
          failures.push(`no answer (${(err as Error).message}) ${p.label}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures).toEqual([]);
    // The service is still healthy afterwards.
    await t.http().get('/health').expect(200);
  }, 600_000);
});
