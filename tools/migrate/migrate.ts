import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { runMigrations } from '../../src/common/database/run-migrations';
import { loadConfig } from '../../src/config/load-config';

// Applies the pending migrations to the database the environment names, the way a starting
// replica does (on MySQL under the `reelay_migrations` lock, each migration in its own
// transaction), and returns the names of those it applied.
export async function migrate(env: NodeJS.ProcessEnv): Promise<string[]> {
  const config = loadConfig(env);
  const ds = new DataSource(buildDataSourceOptions(config.database));
  await ds.initialize();
  try {
    return (await runMigrations(ds)).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
