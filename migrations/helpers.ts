import { QueryRunner, TableColumnOptions } from 'typeorm';

// Column builders shared by migrations, so both databases get the same layout.
// BIGINT UNSIGNED AUTO_INCREMENT on MySQL; SQLite only auto-increments an INTEGER PRIMARY KEY
// (which is 64-bit there).
export const idColumn = (qr: QueryRunner): TableColumnOptions => ({
  name: 'id',
  type: isMysql(qr) ? 'bigint' : 'integer',
  unsigned: true,
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const bigint = (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: false,
  ...opts,
});

export const varchar = (name: string, length: number, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: false,
  ...opts,
});

export const isMysql = (qr: QueryRunner): boolean => qr.connection.driver.options.type === 'mysql';

// Long JSON/text: MySQL TEXT stops at 64 KB, so use MEDIUMTEXT there; SQLite has one TEXT.
export const longText = (
  qr: QueryRunner,
  name: string,
  opts: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({
  name,
  type: isMysql(qr) ? 'mediumtext' : 'text',
  isNullable: true,
  ...opts,
});
