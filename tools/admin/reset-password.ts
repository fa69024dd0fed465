import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditRepository } from '../../src/audit/audit.repository';
import { AuditService } from '../../src/audit/audit.service';
import { AdminRecoveryService } from '../../src/auth/admin-recovery.service';
import { PasswordHasher } from '../../src/auth/password-hasher.service';
import { User } from '../../src/auth/user.entity';
import { UserRepository } from '../../src/auth/user.repository';
import { Clock } from '../../src/common/clock/clock.service';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { Db } from '../../src/common/database/db.service';
import { runMigrations } from '../../src/common/database/run-migrations';
import { ConfigError, loadConfig } from '../../src/config/load-config';

const USAGE = `Usage: npm run admin:reset-password [-- --email <email>] [-- --password-stdin]

Recovers the admin account from the server's shell, against DATABASE_URL (the same environment as
the server): the account (ADMIN_EMAIL unless --email is given; created if missing) gets a new
password, is made an active admin, and every session it had ends. Without --password-stdin a strong
password is generated and printed once.
`;

export interface ResetPasswordIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: () => string;
  out: (text: string) => void;
  err: (text: string) => void;
}

// The whole command, with its I/O passed in (the e2e test runs it against a live database).
export async function resetAdminPassword(io: ResetPasswordIo): Promise<number> {
  const { values } = parseArgs({
    args: io.argv,
    options: { email: { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const config = loadConfig(io.env);
  const password = values['password-stdin'] ? io.stdin().replace(/\r?\n$/, '') : undefined;
  if (password !== undefined && password.length < 12) {
    io.err('The password must be at least 12 characters.\n');
    return 2;
  }
  const ds = await new DataSource({
    ...buildDataSourceOptions(config.database),
    entities: [User, AuditEntry],
  }).initialize();
  const db = new Db(ds);
  try {
    if (config.migrationsRun) await runMigrations(ds);
    const clock = new Clock();
    const recovery = new AdminRecoveryService(
      new UserRepository(db),
      new PasswordHasher(),
      new CryptoService(config),
      clock,
      new AuditService(new AuditRepository(db), clock),
    );
    const done = await recovery.recover(values.email ?? config.adminEmail, password);
    const lines = [
      '',
      done.outcome === 'created' ? ' Reelay created this admin account.' : ' Reelay reset this admin account.',
      `   email:    ${done.email}`,
      done.generated ? `   password: ${done.password}   (shown once)` : '   password: the one you gave',
      ' Every earlier session of this account has ended.',
      '',
    ];
    io.out(lines.join('\n') + '\n');
    return 0;
  } finally {
    await db.close();
    await ds.destroy();
  }
}

if (require.main === module) {
  resetAdminPassword({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: () => readFileSync(0, 'utf8'),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`);
      process.exit(1);
    },
  );
}
