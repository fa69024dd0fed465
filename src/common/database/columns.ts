import { ColumnOptions, ValueTransformer } from 'typeorm';

// BIGINT comes back as a string from some drivers; every id, amount and timestamp in Reelay
// stays well inside 2^53, so read it as a number.
export const bigintNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

export const bigintColumn = (opts: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintNumber,
  ...opts,
});
