import Database from 'better-sqlite3';
import { createConnection, Connection } from 'mysql2/promise';
import { FreshDatabase } from '../common/fresh-database';

// Checks straight against the database Reelay runs on (counts, ledger), so the benchmark's
// correctness checks do not go through the code they check. Read-only unless opened writable
// (the polling workload back-dates the rows it filled).
export class DbProbe {
  private constructor(
    readonly kind: FreshDatabase['kind'],
    private readonly sqlite: Database.Database | null,
    private readonly mysql: Connection | null,
  ) {}

  static async open(db: FreshDatabase, opts: { writable?: boolean } = {}): Promise<DbProbe> {
    if (db.kind === 'sqlite') {
      const file = db.url.replace(/^sqlite:/, '');
      const conn = new Database(file, { readonly: !opts.writable, fileMustExist: true });
      if (opts.writable) conn.pragma('busy_timeout = 10000');
      return new DbProbe(db.kind, conn, null);
    }
    return new DbProbe(db.kind, null, await createConnection({ uri: db.url }));
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.sqlite) return this.sqlite.prepare(sql).all(...params) as T[];
    const [rows] = await (this.mysql as Connection).query(sql, params);
    return rows as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T> {
    return (await this.all<T>(sql, params))[0];
  }

  async exec(sql: string, params: unknown[] = []): Promise<void> {
    if (this.sqlite) this.sqlite.prepare(sql).run(...params);
    else await (this.mysql as Connection).query(sql, params);
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.mysql?.end();
  }
}
