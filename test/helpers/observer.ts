import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/config/load-config';

export interface Observer {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

// A second, independent connection to the app's database: it sees only committed state, the
// way another replica or an auditor would, while the app is busy.
export async function openObserver(databaseUrl: string): Promise<Observer> {
  const cfg = parseDatabaseUrl(databaseUrl);
  if (cfg.type === 'sqlite') {
    const db = new Database(cfg.path, { readonly: true });
    db.pragma('busy_timeout = 5000');
    return {
      query: <T>(sql: string, params: unknown[] = []) => Promise.resolve(db.prepare(sql).all(...params) as T[]),
      close: () => Promise.resolve(void db.close()),
    };
  }
  const conn = await createConnection({ uri: cfg.url });
  return {
    query: async <T>(sql: string, params: unknown[] = []) => (await conn.query(sql, params))[0] as T[],
    close: () => conn.end(),
  };
}
