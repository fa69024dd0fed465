import 'reflect-metadata';
import { migrate } from './migrate';

// `node dist/tools/migrate/main.js`: the Kubernetes migration Job (deploy/k8s/migrate-job.yaml).
// Applies pending migrations and exits 0, or prints one line and exits 1; replicas then start with
// MIGRATIONS_RUN=false, so no serving pod ever migrates (docs/operations.md says why).
migrate(process.env)
  .then((applied) => {
    const list = applied.length > 0 ? `applied ${applied.join(', ')}` : 'nothing to apply';
    process.stdout.write(`Migrations up to date: ${list}.\n`);
  })
  .catch((err: unknown) => {
    process.stderr.write(`migrate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
