import { DataSource, Migration } from 'typeorm';

const LOCK_NAME = 'reelay_migrations';
const LOCK_WAIT_S = 120;

// Runs pending migrations. On MySQL, replicas starting together take a named lock first, so
// exactly one of them migrates and the others find nothing left to do. Returns those it applied.
export async function runMigrations(ds: DataSource): Promise<Migration[]> {
  if (ds.options.type !== 'mysql') return ds.runMigrations({ transaction: 'all' });
  const qr = ds.createQueryRunner();
  try {
    const [row] = (await qr.query('SELECT GET_LOCK(?, ?) AS got', [LOCK_NAME, LOCK_WAIT_S])) as Array<{
      got: number | string | null;
    }>;
    if (Number(row?.got) !== 1) throw new Error(`Timed out after ${LOCK_WAIT_S}s waiting for the migration lock`);
    try {
      return await ds.runMigrations({ transaction: 'each' });
    } finally {
      await qr.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await qr.release();
  }
}
