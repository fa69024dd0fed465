import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export type DbKind = 'sqlite' | 'mysql';

export interface FreshDatabase {
  kind: DbKind;
  url: string;
  drop(): Promise<void>;
}

// A fresh, empty database: a temp SQLite file, or a new MySQL database beside the one
// `mysqlUrl` names (dropped by `drop`). Used by the test suites and the benchmarks.
export async function freshDatabase(kind: DbKind, mysqlUrl?: string, prefix = 'reelay_t_'): Promise<FreshDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'reelay-db-'));
    return {
      kind,
      url: `sqlite:${join(dir, 'reelay.sqlite')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  if (!mysqlUrl) throw new Error('a MySQL URL is needed for a MySQL database');
  const base = new URL(mysqlUrl);
  const name = `${prefix}${randomBytes(5).toString('hex')}`;
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
