import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../src/app.module';
import { buildOpenApiDocument, createFastifyAdapter, NEST_APP_OPTIONS } from '../../src/app.setup';
import { loadConfig } from '../../src/config/load-config';

// The repository root, whether this runs from tools/ (tests) or dist/tools/ (npm run openapi).
function repoRoot(from = __dirname): string {
  return existsSync(join(from, 'package.json')) ? from : repoRoot(dirname(from));
}

export const OPENAPI_PATH = join(repoRoot(), 'docs', 'openapi.json');

// Boots the app on a throwaway SQLite file just long enough to read its routes.
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-openapi-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD: 'openapi-generator-password',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    { ...NEST_APP_OPTIONS, bufferLogs: false, logger: false },
  );
  try {
    await app.init();
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function serializeOpenApi(doc: OpenAPIObject): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
