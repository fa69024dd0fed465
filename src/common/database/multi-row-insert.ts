import { EntityManager } from 'typeorm';
import { CommitBuffer } from './commit-buffer';
import { Db } from './db.service';
import { SqlParam } from './sqlite-statements';

// Rows per statement: a group commit holds at most a few dozen.
const MAX_ROWS = 64;
const texts = new Map<string, string[]>();

// The multi-row form of a single-row `INSERT … VALUES (?, …)`: its tuple `rows` times.
export function insertRowsSql(sql: string, rows: number): string {
  let bySize = texts.get(sql);
  if (!bySize) texts.set(sql, (bySize = []));
  let text = bySize[rows];
  if (text === undefined) {
    const at = sql.lastIndexOf(' VALUES ');
    const tuple = sql.slice(at + ' VALUES '.length);
    text = bySize[rows] = `${sql.slice(0, at)} VALUES ${new Array<string>(rows).fill(tuple).join(', ')}`;
  }
  return text;
}

// The inserts of one table's new rows (each given its id), by where they happen:
// - alone (no group commit): written now, so a taken unique key is reported at once;
// - in a group commit's transaction: with its commit, where nothing reads them back. Where
//   Db.consecutiveInsertIds holds, all the group's rows go as one INSERT (on MySQL a statement per
//   row cost the database three times the CPU of one for them all), each row's id the first's plus
//   its place; elsewhere one statement per row, in the same round trip.
// A key met twice in one group fails it (the group is then re-run caller by caller, where the
// table's unique key judges each).
export class RowInserts<R extends { id: number }> {
  private readonly together: CommitBuffer<R>;

  constructor(
    private readonly db: Db,
    private readonly sql: string,
    private readonly paramsOf: (row: R) => readonly SqlParam[],
  ) {
    this.together = new CommitBuffer<R>(db, {
      merge: () => {
        throw new Error(`${sql.slice(0, 40)}…: one key twice in one transaction`);
      },
      write: (m, entries, atCommit) => this.writeRows(m, entries, atCommit),
    });
  }

  async insert(m: EntityManager, key: string, row: R): Promise<void> {
    if (!this.db.isShared(m)) row.id = (await this.db.write(m, this.sql, this.paramsOf(row))).insertId;
    else if (this.db.consecutiveInsertIds) await this.together.add(m, key, row);
    else await this.db.writeAtCommit(m, this.sql, this.paramsOf(row), { onResult: (r) => (row.id = r.insertId) });
  }

  // Writes the row of `key` still waiting for the commit, for a reader in the same transaction.
  flush(m: EntityManager, key: string): Promise<void> {
    return this.together.flush(m, key);
  }

  private async writeRows(m: EntityManager, entries: Array<[string, R]>, atCommit: boolean): Promise<void> {
    for (let from = 0; from < entries.length; from += MAX_ROWS) {
      const chunk = entries.slice(from, from + MAX_ROWS).map(([, row]) => row);
      const params: SqlParam[] = [];
      for (const row of chunk) for (const p of this.paramsOf(row)) params.push(p);
      await this.db.flushWrite(m, insertRowsSql(this.sql, chunk.length), params, atCommit, {
        onResult: (r) => chunk.forEach((row, i) => (row.id = r.insertId + i)),
      });
    }
  }
}
