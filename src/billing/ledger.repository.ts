import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isUniqueViolation } from '../auth/user.repository';
import { Db, DbRepository } from '../common/database/db.service';
import { PageRequest } from '../common/pagination/page.dto';
import { CreditAccount } from './credit-account.entity';
import { LedgerEntry, LedgerKind, LedgerRef } from './ledger-entry.entity';

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
  constructor(db: Db) {
    super(db);
  }

  // Inserts the entry, or returns null when its op_key is already taken (a replay).
  async claimEntry(m: EntityManager, e: NewLedgerEntry): Promise<LedgerEntry | null> {
    try {
      const row = m.create(LedgerEntry, {
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
      await m.insert(LedgerEntry, row);
      return row;
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  findByOpKey(m: EntityManager, opKey: string): Promise<LedgerEntry | null> {
    return m.findOneBy(LedgerEntry, { opKey });
  }

  async ensureAccount(m: EntityManager, userId: number, now: number): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(CreditAccount)
      .values({ userId, balance: 0, held: 0, used: 0, updatedAt: now })
      .orIgnore()
      .execute();
  }

  // held += amount, only while available covers it.
  reserveHeld(m: EntityManager, userId: number, amount: number, now: number): Promise<boolean> {
    return this.affected(
      m
        .createQueryBuilder()
        .update(CreditAccount)
        .set({ held: () => 'held + :amount', updatedAt: now })
        .where('user_id = :userId AND balance - held >= :amount', { userId, amount }),
    );
  }

  // Undoes reserveHeld within the same transaction (a replayed hold).
  async unreserveHeld(m: EntityManager, userId: number, amount: number, now: number): Promise<void> {
    await m
      .createQueryBuilder()
      .update(CreditAccount)
      .set({ held: () => 'held - :amount', updatedAt: now })
      .where('user_id = :userId', { userId, amount })
      .execute();
  }

  // Closes a hold: held -= hold, and the charge (0 for a release) moves from balance to used.
  settleHeld(m: EntityManager, userId: number, hold: number, charge: number, now: number): Promise<boolean> {
    return this.affected(
      m
        .createQueryBuilder()
        .update(CreditAccount)
        .set({
          held: () => 'held - :hold',
          balance: () => 'balance - :charge',
          used: () => 'used + :charge',
          updatedAt: now,
        })
        .where('user_id = :userId AND held >= :hold AND balance >= :charge', { userId, hold, charge }),
    );
  }

  // balance += delta (either sign), only while available stays >= 0.
  addBalance(m: EntityManager, userId: number, delta: number, now: number): Promise<boolean> {
    return this.affected(
      m
        .createQueryBuilder()
        .update(CreditAccount)
        .set({ balance: () => 'balance + :delta', updatedAt: now })
        .where('user_id = :userId AND balance + :delta >= held', { userId, delta }),
    );
  }

  findAccount(userId: number, m?: EntityManager): Promise<CreditAccount | null> {
    return this.use(m, (em) => em.findOneBy(CreditAccount, { userId }));
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

  private async affected(qb: { execute(): Promise<{ affected?: number }> }): Promise<boolean> {
    return ((await qb.execute()).affected ?? 0) > 0;
  }
}
