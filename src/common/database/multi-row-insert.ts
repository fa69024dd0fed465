import { EntityManager } from 'typeorm';
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

// A transaction's rows of one table as one INSERT (per MAX_ROWS), sent with its commit when
// `atCommit`: on MySQL a statement per row cost the database three times the CPU of one for them
// all. Each row is given its id as the first's plus its place, which holds only where
// Db.consecutiveInsertIds says so (callers insert row by row elsewhere).
export async function insertRows<R extends { id: number }>(
  db: Db,
  m: EntityManager,
  sql: string,
  rows: readonly R[],
  paramsOf: (row: R) => readonly SqlParam[],
  atCommit: boolean,
): Promise<void> {
  for (let from = 0; from < rows.length; from += MAX_ROWS) {
    const chunk = rows.slice(from, from + MAX_ROWS);
    const params: SqlParam[] = [];
    for (const row of chunk) for (const p of paramsOf(row)) params.push(p);
    await db.flushWrite(m, insertRowsSql(sql, chunk.length), params, atCommit, {
      onResult: (r) => chunk.forEach((row, i) => (row.id = r.insertId + i)),
    });
  }
}

// A CommitBuffer merge for rows that must each be inserted: a key met twice in one transaction
// fails it (a group commit is then re-run caller by caller, where the unique key judges each).
export function onlyOnce<V>(key: string): (earlier: V, later: V) => V {
  return () => {
    throw new Error(`${key} written twice in one transaction`);
  };
}
