import { existsSync } from 'node:fs';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Channel } from '../../src/channels/channel.entity';
import { CryptoService } from '../../src/common/crypto/crypto.service';
import { CHANNEL_KEY_PURPOSE, QUOTA_KEY_PURPOSE } from '../../src/common/crypto/key-purposes';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options';
import { AppConfig } from '../../src/config/app-config';
import { parseDatabaseUrl } from '../../src/config/load-config';
import { ProviderQuota } from '../../src/quotas/provider-quota.entity';

// Every column that holds a secret encrypted under a key derived from APP_SECRET.
interface SealedTable<E extends ObjectLiteral> {
  entity: EntityTarget<E>;
  table: string;
  columns: Array<{ field: keyof E & string; column: string; purpose: string }>;
}
const table = <E extends ObjectLiteral>(t: SealedTable<E>) => t as unknown as SealedTable<ObjectLiteral>;

export const SEALED_TABLES = [
  table<Channel>({
    entity: Channel,
    table: 'channels',
    columns: [
      { field: 'keyEncrypted', column: 'key_encrypted', purpose: CHANNEL_KEY_PURPOSE },
      { field: 'webhookKeyEncrypted', column: 'webhook_key_encrypted', purpose: CHANNEL_KEY_PURPOSE },
    ],
  }),
  table<ProviderQuota>({
    entity: ProviderQuota,
    table: 'provider_quotas',
    columns: [{ field: 'apiKeyEncrypted', column: 'api_key_encrypted', purpose: QUOTA_KEY_PURPOSE }],
  }),
];

export class RotationError extends Error {}

export interface RotationReport {
  // "channels.key_encrypted" → values re-encrypted under the new secret.
  reencrypted: Record<string, number>;
  // Values already under the new secret (a second run after a successful one changes nothing).
  alreadyRotated: number;
}

const MIN_SECRET = 32;

// Re-encrypts every stored secret from the old APP_SECRET to the new one, in one transaction: a
// value that opens with neither secret aborts the whole run and nothing changes. Run it with every
// replica stopped, then start them with the new APP_SECRET.
export async function rotateAppSecret(opts: {
  databaseUrl: string;
  oldSecret: string;
  newSecret: string;
}): Promise<RotationReport> {
  if (opts.oldSecret.length < MIN_SECRET || opts.newSecret.length < MIN_SECRET) {
    throw new RotationError(`OLD_APP_SECRET and NEW_APP_SECRET must each be at least ${MIN_SECRET} characters`);
  }
  if (opts.oldSecret === opts.newSecret) throw new RotationError('NEW_APP_SECRET must differ from OLD_APP_SECRET');
  const crypto = (secret: string) => new CryptoService(Object.assign(new AppConfig(), { appSecret: secret }));
  const keys = { old: crypto(opts.oldSecret), new: crypto(opts.newSecret) };
  const database = parseDatabaseUrl(opts.databaseUrl);
  if (database.type === 'sqlite' && !existsSync(database.path)) {
    throw new RotationError(`No database at ${database.path}: check DATABASE_URL`);
  }
  const ds = new DataSource({ ...buildDataSourceOptions(database), entities: [Channel, ProviderQuota] });
  await ds.initialize();
  try {
    const report: RotationReport = { reencrypted: {}, alreadyRotated: 0 };
    await ds.transaction(async (em) => {
      for (const t of SEALED_TABLES) await rotateTable(em, t, keys, report);
    });
    return report;
  } finally {
    await ds.destroy();
  }
}

async function rotateTable(
  em: EntityManager,
  t: SealedTable<ObjectLiteral>,
  keys: { old: CryptoService; new: CryptoService },
  report: RotationReport,
): Promise<void> {
  const rows = await lockedRows(em, t);
  for (const row of rows) {
    const changes: ObjectLiteral = {};
    const read: ObjectLiteral = { id: row.id as number };
    for (const c of t.columns) {
      const sealed = row[c.field] as string | null;
      if (sealed === null || sealed === undefined) continue;
      const name = `${t.table}.${c.column}`;
      const plain = open(keys.old, c.purpose, sealed);
      if (plain !== null) {
        changes[c.field] = keys.new.encrypt(c.purpose, plain);
        read[c.field] = sealed;
        report.reencrypted[name] = (report.reencrypted[name] ?? 0) + 1;
      } else if (open(keys.new, c.purpose, sealed) !== null) {
        report.alreadyRotated++;
      } else {
        throw new RotationError(
          `${name} of row ${String(row.id)} opens with neither the old nor the new secret; nothing was changed`,
        );
      }
    }
    if (Object.keys(changes).length === 0) continue;
    // Only the values read: a row an admin changed meanwhile stops the run rather than being overwritten.
    const res = await em.update(t.entity, read, changes);
    if (res.affected !== 1) {
      throw new RotationError(`${t.table} row ${String(row.id)} changed during the rotation; nothing was changed`);
    }
  }
}

// The rows holding at least one sealed value, locked until the transaction ends (MySQL; SQLite
// has one writer, and the transaction already holds it once it writes).
function lockedRows(em: EntityManager, t: SealedTable<ObjectLiteral>): Promise<ObjectLiteral[]> {
  const qb = em
    .createQueryBuilder(t.entity, 't')
    .select(['t.id', ...t.columns.map((c) => `t.${c.field}`)])
    .where(t.columns.map((c) => `t.${c.column} IS NOT NULL`).join(' OR '))
    .orderBy('t.id', 'ASC');
  if (em.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
  return qb.getMany();
}

function open(crypto: CryptoService, purpose: string, sealed: string): string | null {
  try {
    return crypto.decrypt(purpose, sealed);
  } catch {
    return null;
  }
}
