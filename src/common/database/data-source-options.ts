import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { DatabaseConfig } from '../../config/app-config';

// One definition of the data source for the app, the TypeORM CLI and the tests. Entities are
// registered by the modules that own them (TypeOrmModule.forFeature + autoLoadEntities), so this
// shared layer knows no feature; the CLI and migrations need none.
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
  } as const;
  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      prepareDatabase: (conn: SqliteConnection) => {
        beginImmediate(conn);
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: db.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    // Half the connections serve single statements (TypeORM's pool), half transactions (Db's own
    // pool of the same size, whose sessions run with autocommit off).
    poolSize: Math.ceil((db.poolSize ?? 20) / 2),
    // mysql2 captures a stack trace per query for its error messages (~5% of the relay's CPU in
    // a profile); TypeORM's QueryFailedError already names the failing query.
    extra: { trace: false },
  };
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

// TypeORM opens every SQLite transaction with a deferred BEGIN, which takes the write lock only at
// the first write. When another process wrote in between (two processes on one file), SQLite
// refuses that upgrade at once with SQLITE_BUSY_SNAPSHOT, without waiting for busy_timeout. BEGIN
// IMMEDIATE takes the write lock up front, so a second process waits its turn instead. TypeORM has
// no option for it; its statements all go through `prepare`, so the one statement is rewritten there.
function beginImmediate(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => prepare(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql);
}
