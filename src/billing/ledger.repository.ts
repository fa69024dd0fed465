import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../common/database/db-errors';
import { CommitBuffer, powerOfTwoChunks } from '../common/database/commit-buffer';
import { Db, DbRepository, WriteResult } from '../common/database/db.service';
import { RowInserts } from '../common/database/multi-row-insert';
import { SqlParam } from '../common/database/sqlite-statements';
import { PageRequest } from '../common/pagination/page.dto';
import { CreditAccount } from './credit-account.entity';
import { LedgerEntry, LedgerKind, LedgerRef, RefType } from './ledger-entry.entity';

export interface NewLedgerEntry {
  userId: number;
  kind: LedgerKind;
  amount: number;
  heldDelta: number;
  opKey: string;
  ref: LedgerRef;
  note?: string | null;
  actorId?: number | null;
  now: number;
}

export interface AccountSums {
  userId: number;
  balance: number;
  held: number;
  used: number;
  ledgerBalance: number;
  ledgerHeld: number;
  ledgerUsed: number;
}

export interface SettlementProblem {
  entryId: number;
  userId: number;
  refType: string;
  refId: string;
  problem: 'no_hold' | 'hold_mismatch';
}

// Every query on credit_accounts and ledger_entries. Balance changes are single conditional
// UPDATEs; the ledger is insert-only and its unique op_key turns replays into no-ops.
@Injectable()
export class LedgerRepository extends DbRepository {
  // Settlements a transaction has not written to its accounts yet, summed by account.
  private readonly unwritten: CommitBuffer<PendingSettle>;
  // A group commit's settlement claims, written together at its commit.
  private readonly claims: CommitBuffer<SqlParams>;
  // A group commit's holds, summed by account and judged as it commits.
  private readonly reserves: CommitBuffer<PendingReserve>;
  // New entries; a group commit's (its holds) go together as it commits.
  private readonly entries: RowInserts<LedgerEntry>;

  constructor(db: Db) {
    super(db);
    this.reserves = new CommitBuffer<PendingReserve>(db, {
      merge: (a, b) => ({ userId: a.userId, amount: a.amount + b.amount, now: b.now }),
      write: async (m, entries, atCommit) => {
        for (const [, r] of entries) {
          const check = (res: WriteResult) => {
            if (res.affected === 0) throw new Error(`No room for holds of ${r.amount} on account ${r.userId}`);
          };
          await this.db.flushWrite(m, RESERVE_HELD, [r.amount, r.now, r.userId, r.amount], atCommit, {
            check,
            expect: 1,
          });
        }
      },
    });
    this.entries = new RowInserts(db, INSERT_ENTRY, entryValues);
    this.claims = new CommitBuffer<SqlParams>(db, {
      merge: (earlier, later) => later, // one op_key twice fails the insert, and so the group
      write: (m, entries, atCommit) => this.writeClaims(m, entries, atCommit),
    });
    this.unwritten = new CommitBuffer<PendingSettle>(db, {
      merge: (a, b) => ({ userId: a.userId, hold: a.hold + b.hold, charge: a.charge + b.charge, now: b.now }),
      write: async (m, entries, atCommit) => {
        for (const [, sum] of entries) {
          const args = [sum.hold, sum.charge, sum.charge, sum.now, sum.userId, sum.hold, sum.charge];
          const check = (r: WriteResult) => {
            if (r.affected === 0) throw unsettlable(sum.userId);
          };
          await this.db.flushWrite(m, SETTLE_HELD, args, atCommit, { check, expect: 1 });
        }
      },
    });
  }

  // Inserts the entry, or returns null when its op_key is already taken (a replay).
  async claimEntry(m: EntityManager, e: NewLedgerEntry): Promise<LedgerEntry | null> {
    const row = Object.assign(new LedgerEntry(), {
      id: 0,
      userId: e.userId,
      kind: e.kind,
      amount: e.amount,
      heldDelta: e.heldDelta,
      opKey: e.opKey,
      refType: e.ref.type,
      refId: e.ref.id,
      note: e.note ?? null,
      actorId: e.actorId ?? null,
      createdAt: e.now,
    });
    try {
      // In a group commit's transaction it goes with the commit; should its op_key be taken (a
      // replay), the group fails and is re-run caller by caller, where the replay is seen at once.
      await this.entries.insert(m, row.opKey, row);
      return row;
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  // The settlement of the hold `holdOpKey`, claimed in one statement that reads the hold: inserted
  // only while that hold exists for `userId` and `held`, charging min(charge, held). Returns
  // 'claimed', 'taken' (already settled: a replay) or 'no_match' (no such hold).
  async claimSettlement(
    m: EntityManager,
    s: SettlementClaim,
    e: { opKey: string; ref: LedgerRef; now: number },
  ): Promise<'claimed' | 'taken' | 'no_match'> {
    // In a group commit's transaction the claim is written with the group's others at commit: the
    // task's terminal UPDATE, won under its row lock, already proves it is the first settlement.
    // Should any not insert (no such hold, or taken after all), the group fails and is re-run
    // caller by caller, where each claim is written, and judged, at once.
    if (this.db.isShared(m)) {
      await this.claims.add(m, e.opKey, claimParams(s, e));
      return 'claimed';
    }
    try {
      return (await this.db.write(m, CLAIM_SETTLEMENT, claimParams(s, e))).affected > 0 ? 'claimed' : 'no_match';
    } catch (err) {
      if (isUniqueViolation(err)) return 'taken';
      throw err;
    }
  }

  // CLAIM_SETTLEMENT for many, one statement per power-of-two chunk; each must insert.
  private async writeClaims(m: EntityManager, entries: Array<[string, SqlParams]>, atCommit: boolean): Promise<void> {
    for (const chunk of powerOfTwoChunks(entries)) {
      const selects = chunk.map(() => CLAIM_SELECT).join(' UNION ALL ');
      const check = (r: WriteResult) => {
        if (r.affected !== chunk.length)
          throw new Error(`${chunk.length - r.affected} settlement claims found no hold`);
      };
      const params = chunk.flatMap(([, p]) => p);
      await this.db.flushWrite(m, `${CLAIM_INTO} ${selects}`, params, atCommit, { check, expect: chunk.length });
    }
  }

  async findByOpKey(m: EntityManager, opKey: string): Promise<LedgerEntry | null> {
    await this.claims.flush(m, opKey);
    await this.entries.flush(m, opKey);
    const rows = await this.db.rows<Record<string, unknown>>(m, ENTRY_BY_OP_KEY, [opKey]);
    if (rows.length === 0) return null;
    const r = rows[0];
    return Object.assign(new LedgerEntry(), r, {
      id: Number(r.id),
      userId: Number(r.userId),
      amount: Number(r.amount),
      heldDelta: Number(r.heldDelta),
      actorId: r.actorId === null ? null : Number(r.actorId),
      createdAt: Number(r.createdAt),
    });
  }

  async ensureAccount(m: EntityManager, userId: number, now: number): Promise<void> {
    await this.writePending(m, userId);
    await this.db.write(m, `${this.db.insertIgnore} ${ENSURE_ACCOUNT}`, [userId, now]);
  }

  // held += amount, only while available covers it.
  async reserveHeld(m: EntityManager, userId: number, amount: number, now: number): Promise<boolean> {
    await this.unwritten.flush(m, String(userId));
    // In a group commit's transaction the holds are summed by account and judged as it commits
    // (all fit exactly when their sum does): a sum without room fails the group, which is re-run
    // caller by caller, where each is refused at once or not.
    if (this.db.isShared(m)) {
      await this.reserves.add(m, String(userId), { userId, amount, now });
      return true;
    }
    return (await this.db.write(m, RESERVE_HELD, [amount, now, userId, amount])).affected > 0;
  }

  // Undoes reserveHeld within the same transaction (a replayed hold).
  async unreserveHeld(m: EntityManager, userId: number, amount: number, now: number): Promise<void> {
    await this.writePending(m, userId);
    await this.db.write(m, UNRESERVE_HELD, [amount, now, userId]);
  }

  // Closes a hold: held -= hold, and the charge (0 for a release) moves from balance to used.
  async settleHeld(m: EntityManager, userId: number, hold: number, charge: number, now: number): Promise<boolean> {
    await this.writePending(m, userId);
    return (await this.db.write(m, SETTLE_HELD, [hold, charge, charge, now, userId, hold, charge])).affected > 0;
  }

  // balance += delta (either sign), only while available stays >= 0.
  async addBalance(m: EntityManager, userId: number, delta: number, now: number): Promise<boolean> {
    await this.writePending(m, userId);
    return (await this.db.write(m, ADD_BALANCE, [delta, now, userId, delta])).affected > 0;
  }

  async findAccount(userId: number, m?: EntityManager): Promise<CreditAccount | null> {
    if (m) await this.writePending(m, userId);
    return this.use(m, (em) => em.findOneBy(CreditAccount, { userId }));
  }

  // settleHeld, written once per account just before the transaction commits, summed with the
  // transaction's other settlements of that account: a group commit that ends fifty of one user's
  // tasks updates the account row once, not fifty times. Any other account statement of the
  // transaction writes the sum first, so the transaction never reads or moves a stale account.
  async settleHeldAtCommit(m: EntityManager, userId: number, hold: number, charge: number, now: number) {
    await this.unwritten.add(m, String(userId), { userId, hold, charge, now });
  }

  // Writes the transaction's summed settlement and holds of this account, before any other
  // statement on it.
  private async writePending(m: EntityManager, userId: number): Promise<void> {
    await this.unwritten.flush(m, String(userId));
    await this.reserves.flush(m, String(userId));
  }

  // A reference's money movements in the order they were written (its hold, then its
  // capture or release): the idx_ledger_ref index, a handful of rows.
  ledgerForRef(refType: RefType, refId: string): Promise<LedgerEntry[]> {
    return this.db.run((em) => em.find(LedgerEntry, { where: { refType, refId }, order: { id: 'ASC' } }));
  }

  listForUser(userId: number, page: PageRequest): Promise<[LedgerEntry[], number]> {
    return this.db.run((em) =>
      em.findAndCount(LedgerEntry, {
        where: { userId },
        order: { id: 'DESC' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
      }),
    );
  }

  // Accounts after `afterUserId` with their ledger sums, for reconciliation in bounded pages.
  async accountSums(afterUserId: number, limit: number): Promise<AccountSums[]> {
    const rows: Array<Record<string, string | number>> = await this.db.run((em) =>
      em
        .createQueryBuilder(CreditAccount, 'a')
        .leftJoin(LedgerEntry, 'l', 'l.user_id = a.user_id')
        .select('a.user_id', 'user_id')
        .addSelect('a.balance', 'balance')
        .addSelect('a.held', 'held')
        .addSelect('a.used', 'used')
        .addSelect('COALESCE(SUM(l.amount), 0)', 'ledger_balance')
        .addSelect('COALESCE(SUM(l.held_delta), 0)', 'ledger_held')
        .addSelect("COALESCE(SUM(CASE WHEN l.kind = 'capture' THEN -l.amount ELSE 0 END), 0)", 'ledger_used')
        .where('a.user_id > :afterUserId', { afterUserId })
        .groupBy('a.user_id')
        .addGroupBy('a.balance')
        .addGroupBy('a.held')
        .addGroupBy('a.used')
        .orderBy('a.user_id', 'ASC')
        .limit(limit)
        .getRawMany(),
    );
    return rows.map((r) => ({
      userId: Number(r.user_id),
      balance: Number(r.balance),
      held: Number(r.held),
      used: Number(r.used),
      ledgerBalance: Number(r.ledger_balance),
      ledgerHeld: Number(r.ledger_held),
      ledgerUsed: Number(r.ledger_used),
    }));
  }

  // Captures and releases whose hold is missing or belongs to another user or amount.
  async settlementProblems(limit: number): Promise<SettlementProblem[]> {
    const rows: Array<Record<string, string | number | null>> = await this.db.run((em) =>
      em
        .createQueryBuilder(LedgerEntry, 's')
        .leftJoin(LedgerEntry, 'h', "h.ref_type = s.ref_type AND h.ref_id = s.ref_id AND h.kind = 'hold'")
        .select([
          's.id AS id',
          's.user_id AS user_id',
          's.ref_type AS ref_type',
          's.ref_id AS ref_id',
          'h.id AS hold_id',
        ])
        .where("s.kind IN ('capture', 'release')")
        .andWhere('(h.id IS NULL OR h.user_id <> s.user_id OR h.held_delta <> -s.held_delta)')
        .orderBy('s.id', 'ASC')
        .limit(limit)
        .getRawMany(),
    );
    return rows.map((r) => ({
      entryId: Number(r.id),
      userId: Number(r.user_id),
      refType: String(r.ref_type),
      refId: String(r.ref_id),
      problem: r.hold_id === null ? 'no_hold' : 'hold_mismatch',
    }));
  }
}

// The money statements in plain SQL (valid on MySQL and SQLite), each one round trip.
const ENTRY_COLUMNS =
  '`user_id`, `kind`, `amount`, `held_delta`, `op_key`, `ref_type`, `ref_id`, `note`, `actor_id`, `created_at`';
const INSERT_ENTRY = `INSERT INTO \`ledger_entries\` (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const CLAIM_INTO = `INSERT INTO \`ledger_entries\` (${ENTRY_COLUMNS})`;
const CLAIM_SELECT =
  'SELECT `user_id`, ?, ?, ?, ?, ?, ?, NULL, NULL, ? FROM `ledger_entries` ' +
  "WHERE `op_key` = ? AND `user_id` = ? AND `held_delta` = ? AND `kind` = 'hold'";
const CLAIM_SETTLEMENT = `${CLAIM_INTO} ${CLAIM_SELECT}`;
type SqlParams = Array<string | number>;

interface SettlementClaim {
  holdOpKey: string;
  userId: number;
  held: number;
  charge: number;
  kind: 'capture' | 'release';
}

// CLAIM_SELECT's parameters, in its order.
const claimParams = (s: SettlementClaim, e: { opKey: string; ref: LedgerRef; now: number }): SqlParams => [
  s.kind,
  0 - s.charge || 0,
  0 - s.held || 0,
  e.opKey,
  e.ref.type,
  e.ref.id,
  e.now,
  s.holdOpKey,
  s.userId,
  s.held,
];

// INSERT_ENTRY's parameters, in its order.
const entryValues = (e: LedgerEntry): SqlParam[] => [
  e.userId,
  e.kind,
  e.amount,
  e.heldDelta,
  e.opKey,
  e.refType,
  e.refId,
  e.note,
  e.actorId,
  e.createdAt,
];

interface PendingReserve {
  userId: number;
  amount: number;
  now: number;
}

interface PendingSettle {
  userId: number;
  hold: number;
  charge: number;
  now: number;
}

// held and balance always cover the open holds; reaching this means the ledger was broken.
const unsettlable = (userId: number) =>
  new Error(`Account ${userId} cannot settle: held or balance below the holds being closed`);

const ENTRY_BY_OP_KEY =
  'SELECT `id`, `user_id` AS `userId`, `kind`, `amount`, `held_delta` AS `heldDelta`, `op_key` AS `opKey`, ' +
  '`ref_type` AS `refType`, `ref_id` AS `refId`, `note`, `actor_id` AS `actorId`, `created_at` AS `createdAt` ' +
  'FROM `ledger_entries` WHERE `op_key` = ? LIMIT 1';
const ENSURE_ACCOUNT =
  'INTO `credit_accounts` (`user_id`, `balance`, `held`, `used`, `updated_at`) VALUES (?, 0, 0, 0, ?)';
const RESERVE_HELD =
  'UPDATE `credit_accounts` SET `held` = `held` + ?, `updated_at` = ? WHERE `user_id` = ? AND `balance` - `held` >= ?';
const UNRESERVE_HELD = 'UPDATE `credit_accounts` SET `held` = `held` - ?, `updated_at` = ? WHERE `user_id` = ?';
const SETTLE_HELD =
  'UPDATE `credit_accounts` SET `held` = `held` - ?, `balance` = `balance` - ?, `used` = `used` + ?, `updated_at` = ? ' +
  'WHERE `user_id` = ? AND `held` >= ? AND `balance` >= ?';
const ADD_BALANCE =
  'UPDATE `credit_accounts` SET `balance` = `balance` + ?, `updated_at` = ? WHERE `user_id` = ? AND `balance` + ? >= `held`';
