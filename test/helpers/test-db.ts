import { DbKind, FreshDatabase, freshDatabase } from '../../tools/common/fresh-database';

export type TestDbKind = DbKind;
export type TestDatabase = FreshDatabase;

export function testDbKind(): TestDbKind {
  return process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
}

// A fresh, empty database for one suite: a temp SQLite file, or a new MySQL database next to
// the one TEST_MYSQL_URL names (dropped afterwards).
export function createTestDatabase(kind: TestDbKind = testDbKind()): Promise<TestDatabase> {
  return freshDatabase(kind, process.env.TEST_MYSQL_URL);
}
