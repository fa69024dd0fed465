import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import type { PriceRule } from '../src/billing/pricing';
import { bigint, idColumn, longText, varchar } from './helpers';

const KLING_ASPECT = { '16:9': 1200, '9:16': 1200, '1:1': 1000, '21:9': 1300, '9:21': 1300 };
const KLING_KIND = { text2video: 1000, image2video: 1100, 'omni-video': 1200, 'multi-image2video': 1300 };
// Quota units per credit are fixed at the first migration (the app refuses to start if the
// configured value later differs, since every stored amount would change meaning).
const quotaPerCredit = (): number => Number(process.env.QUOTA_PER_CREDIT || 1000);

const kling = (baseCredits: number): PriceRule => ({
  scheme: 'kling_formula',
  baseQuota: baseCredits * quotaPerCredit(),
  perSeconds: 5,
  aspectMultipliers: KLING_ASPECT,
  kindMultipliers: KLING_KIND,
  defaultDuration: 5,
  defaultAspectRatio: '16:9',
});
const fixed = (
  entries: Array<[string | null, number | null, number]>,
  defaultResolution: string | null,
  defaultDuration: number | null,
): PriceRule => ({
  scheme: 'fixed',
  entries: entries.map(([resolution, duration, credits]) => ({
    resolution,
    duration,
    quota: credits * quotaPerCredit(),
  })),
  defaultResolution,
  defaultDuration,
});

// Seeds 000, 003 and 004. Admins change them later.
export const seedPrices = (): Array<{ model: string; rule: PriceRule }> => [
  { model: 'kling-v1-5-std', rule: kling(50) },
  { model: 'kling-v1-5-pro', rule: kling(100) },
  { model: 'kling-v1-6-std', rule: kling(60) },
  { model: 'kling-v1-6-pro', rule: kling(120) },
  { model: 'veo3', rule: fixed([[null, null, 15]], null, null) },
  {
    model: 'sora-2',
    rule: fixed(
      [
        ['720p', 10, 15],
        ['720p', 15, 20],
      ],
      '720p',
      10,
    ),
  },
  {
    model: 'sora-2-pro',
    rule: fixed(
      [
        ['720p', 10, 45],
        ['720p', 15, 60],
        ['1080p', 10, 100],
        ['1080p', 15, 130],
      ],
      '720p',
      10,
    ),
  },
];

export class CreateBilling1732200000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    // One row per user; available = balance - held and never below zero.
    await qr.createTable(
      new Table({
        name: 'credit_accounts',
        columns: [
          bigint('user_id', { unsigned: true, isPrimary: true }),
          bigint('balance', { default: 0 }),
          bigint('held', { default: 0 }),
          bigint('used', { default: 0 }),
          bigint('updated_at'),
        ],
        foreignKeys: [
          {
            name: 'fk_credit_accounts_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    // Append-only. `amount` is the entry's effect on balance, `held_delta` on held; op_key makes
    // a replayed operation a no-op (a hold and its capture/release share one settle key).
    await qr.createTable(
      new Table({
        name: 'ledger_entries',
        columns: [
          idColumn(qr),
          bigint('user_id', { unsigned: true }),
          varchar('kind', 16),
          bigint('amount'),
          bigint('held_delta'),
          varchar('op_key', 191),
          varchar('ref_type', 16),
          varchar('ref_id', 160),
          varchar('note', 255, { isNullable: true }),
          bigint('actor_id', { unsigned: true, isNullable: true }),
          bigint('created_at'),
        ],
        uniques: [{ name: 'uq_ledger_op_key', columnNames: ['op_key'] }],
        indices: [
          { name: 'idx_ledger_user', columnNames: ['user_id', 'id'] },
          { name: 'idx_ledger_ref', columnNames: ['ref_type', 'ref_id'] },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'prices',
        columns: [
          idColumn(qr),
          varchar('model', 64),
          varchar('scheme', 16),
          longText(qr, 'rule', { isNullable: false }),
          bigint('updated_by', { unsigned: true, isNullable: true }),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        uniques: [{ name: 'uq_prices_model', columnNames: ['model'] }],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'billing_settings',
        columns: [bigint('id', { isPrimary: true }), bigint('quota_per_credit')],
      }),
    );
    await qr.query('INSERT INTO billing_settings (id, quota_per_credit) VALUES (1, ?)', [quotaPerCredit()]);
    const now = Math.floor(Date.now() / 1000);
    for (const p of seedPrices()) {
      await qr.query('INSERT INTO prices (model, scheme, rule, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [
        p.model,
        p.rule.scheme,
        JSON.stringify(p.rule),
        now,
        now,
      ]);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('billing_settings');
    await qr.dropTable('prices');
    await qr.dropTable('ledger_entries');
    await qr.dropTable('credit_accounts');
  }
}
