import Database from 'better-sqlite3';
import { createConnection, Connection } from 'mysql2/promise';
import { FreshDatabase } from '../common/fresh-database';

// Read-only checks straight against the database Reelay runs on (counts, ledger), so the
// benchmark's correctness checks do not go through the code they check.
export class DbProbe {
  private constructor(
    private readonly sqlite: Database.Database | null,
    private readonly mysql: Connection | null,
  ) {}

  static async open(db: FreshDatabase): Promise<DbProbe> {
    if (db.kind === 'sqlite') {
      return new DbProbe(new Database(db.url.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true }), null);
    }
    return new DbProbe(null, await createConnection({ uri: db.url }));
  }

  async all<T>(sql: string): Promise<T[]> {
    if (this.sqlite) return this.sqlite.prepare(sql).all() as T[];
    const [rows] = await (this.mysql as Connection).query(sql);
    return rows as T[];
  }

  async one<T>(sql: string): Promise<T> {
    return (await this.all<T>(sql))[0];
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.mysql?.end();
  }
}
