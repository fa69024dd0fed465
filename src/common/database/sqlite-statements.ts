import { QueryFailedError } from 'typeorm';

export type SqlParam = string | number | null;

// The parts of better-sqlite3 that raw statements use.
interface SqliteStatement {
  reader: boolean;
  all(...params: SqlParam[]): unknown[];
  run(...params: SqlParam[]): { changes: number; lastInsertRowid: number | bigint };
}
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
}

const MAX_PREPARED = 500;

// SQLite's prepared statements of the raw hot-path SQL, by text (a small set: IN lists and
// multi-row statements are padded to a few sizes). Answers as mysql2 does: rows for a read,
// { affectedRows, insertId } for a write.
export class SqliteStatements {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly connection: () => SqliteDatabase) {}

  run(sql: string, params: readonly SqlParam[]): unknown {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.connection().prepare(sql);
      // Bounded, in case a caller builds texts without limit: the oldest goes first.
      if (this.statements.size >= MAX_PREPARED) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, stmt);
    }
    try {
      if (stmt.reader) return stmt.all(...params);
      const res = stmt.run(...params);
      return { affectedRows: res.changes, insertId: res.lastInsertRowid };
    } catch (err) {
      throw new QueryFailedError(sql, [...params], err as Error);
    }
  }
}
