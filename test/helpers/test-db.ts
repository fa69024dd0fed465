import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export type TestDbKind = 'sqlite' | 'mysql';

export interface TestDatabase {
  kind: TestDbKind;
  url: string;
  drop(): Promise<void>;
}

export function testDbKind(): TestDbKind {
  return process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
}

// A fresh, empty database for one suite: a temp SQLite file, or a new MySQL database next to
// the one TEST_MYSQL_URL names (dropped afterwards).
export async function createTestDatabase(kind: TestDbKind = testDbKind()): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'reelay-test-'));
    return {
      kind,
      url: `sqlite:${join(dir, 'reelay.sqlite')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const base = new URL(process.env.TEST_MYSQL_URL as string);
  const name = `reelay_t_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection({ uri: base.toString() });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const conn = await createConnection({ uri: base.toString() });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
