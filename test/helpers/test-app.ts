import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from '../../src/app.setup';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { freePort } from '../../tools/common/http-client';
import { createTestDatabase, TestDatabase } from './test-db';

export const TEST_ADMIN = { email: 'admin@reelay.test', password: 'admin-password-for-tests' };
export const TEST_APP_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

// Every log line the app wrote, as text, so tests can check what never appears in it.
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }

  text(): string {
    return this.lines.join('');
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  baseUrl: string;
  logs: LogCapture;
  http(): TestAgent;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  // Swap I/O edges (clock, upstream clients) and nothing else.
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  database?: TestDatabase;
}

// Boots the real AppModule over HTTP on a fresh database (SQLite or MySQL, per TEST_DB).
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'reelay-data-'));
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    SERVER_ADDRESS: `http://127.0.0.1:${port}`,
    APP_SECRET: TEST_APP_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: 'info',
    // The simulators listen on loopback, which the outbound guard refuses unless allowed; one
    // test process is one client address, far past production's per-IP limits.
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost',
    RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000000',
    RATE_LIMIT_LOGIN_FAILURES: '1000',
    RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
    ...opts.env,
  });
  const logs = new LogCapture();
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, { logDestination: logs })] });
  if (opts.override) builder = opts.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), NEST_APP_OPTIONS);
  try {
    await configureApp(app, config);
    await app.listen(port, '127.0.0.1');
  } catch (err) {
    // A failed start must not leave connections open behind it.
    await app.close().catch(() => undefined);
    await moduleRef.close().catch(() => undefined);
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    database,
    baseUrl,
    logs,
    http: () => request(baseUrl),
    close: async () => {
      await app.close();
      if (!opts.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
