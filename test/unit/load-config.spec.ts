import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reelay-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({ DATA_DIR: dir });

  it('has working defaults: port 3000, SQLite under ./data, callbacks to localhost', () => {
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      database: { type: 'sqlite', path: resolve('data/reelay.sqlite') },
      serverAddress: 'http://localhost:3000',
      logLevel: 'info',
      migrationsRun: true,
      registrationEnabled: true,
      corsOrigins: [],
      bodyLimitBytes: 50 * 1024 * 1024,
    });
    expect(c.adminPassword).toBeUndefined();
  });

  it('derives SERVER_ADDRESS from PORT and trims a trailing slash when given', () => {
    expect(loadConfig({ ...base(), PORT: '8080' }).serverAddress).toBe('http://localhost:8080');
    expect(loadConfig({ ...base(), SERVER_ADDRESS: 'https://reelay.example.com/' }).serverAddress).toBe(
      'https://reelay.example.com',
    );
  });

  it('parses MySQL and SQLite URLs', () => {
    expect(loadConfig({ ...base(), DATABASE_URL: 'mysql://u:p@db:3306/reelay' }).database).toEqual({
      type: 'mysql',
      url: 'mysql://u:p@db:3306/reelay',
    });
    expect(loadConfig({ ...base(), DATABASE_URL: 'sqlite:/var/lib/reelay/x.db' }).database).toEqual({
      type: 'sqlite',
      path: '/var/lib/reelay/x.db',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://x'],
    ['SERVER_ADDRESS', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['ADMIN_EMAIL', 'nope'],
    ['ADMIN_PASSWORD', 'short'],
    ['APP_SECRET', 'too-short'],
    ['BODY_LIMIT_MB', '0'],
    ['NODE_ENV', 'staging'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_PORT', '0'],
    ['METRICS_PORT', '3000'], // the main port
    ['REDIS_URL', 'http://cache:6379'],
    ['WORKERS', '0'],
    ['WORKERS', '-2'],
    ['WORKERS', 'many'],
    ['WORKERS', '1.5'],
    ['WORKERS', '1000'],
    ['WORKERS', '2'], // SQLite (the default database) is one process's file
    ['WORKERS', 'auto'],
  ])('stops with one line naming %s when it is %j', (name, value) => {
    let err: unknown;
    try {
      loadConfig({ ...base(), [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('never echoes a value that may be a secret in its one line', () => {
    for (const [name, value] of [
      ['APP_SECRET', 'short-secret-value'],
      ['ADMIN_PASSWORD', 'tiny-pw'],
      ['DATABASE_URL', 'postgres://u:hunter2@db/x'],
      ['REDIS_URL', 'http://u:hunter2@redis'],
    ]) {
      expect(() => loadConfig({ ...base(), [name]: value })).toThrow(/value hidden/);
      try {
        loadConfig({ ...base(), [name]: value });
      } catch (err) {
        expect((err as Error).message).not.toContain(value);
      }
    }
  });

  it('requires APP_SECRET in production', () => {
    expect(() => loadConfig({ ...base(), NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: APP_SECRET is required when NODE_ENV=production',
    );
    expect(loadConfig({ ...base(), NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) }).appSecret).toBe(
      'x'.repeat(32),
    );
  });

  it('generates a development secret once, keeps it private in the data dir, and reuses it', () => {
    const first = loadConfig(base()).appSecret;
    const file = join(dir, 'app-secret');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig(base()).appSecret).toBe(first);
  });

  it('reads booleans and lists the way operators write them', () => {
    const c = loadConfig({
      ...base(),
      MIGRATIONS_RUN: 'false',
      REGISTRATION_ENABLED: '0',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(c.migrationsRun).toBe(false);
    expect(c.registrationEnabled).toBe(false);
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('serves metrics nowhere by default, and reads the metrics and Redis settings', () => {
    expect(loadConfig(base())).toMatchObject({ metricsToken: null, metricsPort: null, redisUrl: null });
    expect(
      loadConfig({
        ...base(),
        METRICS_TOKEN: 'a-long-metrics-token',
        METRICS_PORT: '9464',
        REDIS_URL: 'redis://cache:6379/0',
      }),
    ).toMatchObject({ metricsToken: 'a-long-metrics-token', metricsPort: 9464, redisUrl: 'redis://cache:6379/0' });
  });

  describe('WORKERS', () => {
    const mysql = { DATABASE_URL: 'mysql://u:p@db:3306/reelay' };

    it('runs one process by default, on either database', () => {
      expect(loadConfig(base())).toMatchObject({ workers: 1, workerId: null });
      expect(loadConfig({ ...base(), ...mysql }).workers).toBe(1);
      expect(loadConfig({ ...base(), WORKERS: '1' }).workers).toBe(1);
    });

    it('on MySQL takes a number, or "auto" for one per core', () => {
      expect(loadConfig({ ...base(), ...mysql, WORKERS: '4' }).workers).toBe(4);
      expect(loadConfig({ ...base(), ...mysql, WORKERS: ' 3 ' }).workers).toBe(3);
      expect(loadConfig({ ...base(), ...mysql, WORKERS: 'auto' }).workers).toBe(availableParallelism());
      expect(loadConfig({ ...base(), ...mysql, WORKERS: 'AUTO' }).workers).toBe(availableParallelism());
    });

    it('refuses more than one with SQLite, naming WORKERS and the way out', () => {
      expect(() => loadConfig({ ...base(), DATABASE_URL: `sqlite:${dir}/x.sqlite`, WORKERS: '2' })).toThrow(
        'Invalid configuration: WORKERS must be 1 with SQLite (one process writes the database file); use MySQL to run 2 workers',
      );
    });

    it("ignores a worker id outside a cluster worker (only Reelay's primary sets it)", () => {
      expect(loadConfig({ ...base(), REELAY_WORKER_ID: '3' }).workerId).toBeNull();
    });
  });
});
