import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { LogCapture, TEST_ADMIN, TEST_APP_SECRET } from './test-app';
import { createTestDatabase, TestDatabase } from './test-db';

// The middle tier (immich's "medium" tests): the real services and repositories on a fresh real
// database built by the real migrations, without HTTP and without scheduled jobs — the test
// drives the poller and the engine itself.
export interface TestServices {
  ref: TestingModule;
  config: AppConfig;
  database: TestDatabase;
  logs: LogCapture;
  ds: DataSource;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

export async function startServices(env: Record<string, string> = {}): Promise<TestServices> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'reelay-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    SERVER_ADDRESS: 'http://127.0.0.1:9',
    APP_SECRET: TEST_APP_SECRET,
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JOBS_ENABLED: 'false',
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs = new LogCapture();
  const ref = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, { logDestination: logs })],
  }).compile();
  await ref.init();
  return {
    ref,
    config,
    database,
    logs,
    ds: ref.get(DataSource),
    get: <T>(type: Type<T>) => ref.get(type, { strict: false }),
    close: async () => {
      await ref.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
