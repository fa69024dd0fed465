import { DEFAULT_DATABASE_URL } from '../../src/config/load-config';
import { rotateAppSecret } from './rotate-app-secret';

// `npm run rotate-app-secret`: re-encrypts every channel key, webhook key and dedicated provider
// key in DATABASE_URL from OLD_APP_SECRET to NEW_APP_SECRET (see docs/operations.md).
async function main(): Promise<void> {
  const { DATABASE_URL, OLD_APP_SECRET, NEW_APP_SECRET } = process.env;
  if (!OLD_APP_SECRET || !NEW_APP_SECRET) {
    throw new Error('Set OLD_APP_SECRET (the secret in use now) and NEW_APP_SECRET (openssl rand -hex 32)');
  }
  const report = await rotateAppSecret({
    databaseUrl: DATABASE_URL || DEFAULT_DATABASE_URL,
    oldSecret: OLD_APP_SECRET,
    newSecret: NEW_APP_SECRET,
  });
  const counts = Object.entries(report.reencrypted).map(([column, n]) => `${n} in ${column}`);
  process.stdout.write(
    `Re-encrypted ${counts.length > 0 ? counts.join(', ') : 'nothing'}` +
      ` (${report.alreadyRotated} already under the new secret).\n` +
      'Now start every replica with APP_SECRET set to the new secret.\n',
  );
}

main().catch((err: unknown) => {
  // The message names tables and rows, never a secret or a key.
  process.stderr.write(`rotate-app-secret: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
