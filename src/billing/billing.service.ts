import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { LedgerEntry, LedgerRef } from './ledger-entry.entity';
import { LedgerRepository } from './ledger.repository';
import { quotaToCredits } from '../common/money/money';

export type HoldOutcome = { status: 'held' | 'already_held'; entry: LedgerEntry };
export type SettleOutcome = {
  status: 'captured' | 'released' | 'already_captured' | 'already_released';
  // Quota actually charged by this settlement (0 for a release).
  charged: number;
  // A final amount above the hold is cut to the hold: users never pay more than they agreed to.
  capped?: boolean;
};
export type CreditOutcome = { status: 'credited' | 'already_credited'; entry: LedgerEntry };

// What the caller knows the hold of a reference to be (the task's user and price): settling with
// it checks the hold inside the settlement's own INSERT instead of reading it first.
export interface ExpectedHold {
  userId: number;
  amount: number;
}

export const refKey = (ref: LedgerRef): string => `${ref.type}:${ref.id}`;

// The money rules every module moves credits through. Each operation is one transaction (or
// joins the caller's, given `m`): a claim on the ledger's unique op_key first, so a replay is
// a reported no-op, then one conditional UPDATE of the account. Amounts are quota units.
@Injectable()
export class BillingService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // Reserves `amount` for `ref`; fails with insufficient_balance when available < amount.
  // Reserve first and claim second, so a refused hold writes nothing even inside a caller's
  // transaction; a replay undoes its reservation and reports the first hold.
  // A price of 0 (a free model) is a hold of 0: recorded like any other, so quote and submit
  // agree and the capture that follows charges nothing.
  hold(userId: number, amount: number, ref: LedgerRef, m?: EntityManager): Promise<HoldOutcome> {
    assertQuota(amount, 'amount', true);
    return this.inTx(m, async (em) => {
      const opKey = `hold:${refKey(ref)}`;
      const now = this.clock.now();
      if (amount === 0) await this.ledger.ensureAccount(em, userId, now);
      else if (!(await this.ledger.reserveHeld(em, userId, amount, now))) {
        const existing = await this.ledger.findByOpKey(em, opKey);
        if (existing) return this.replayedHold(existing, userId, amount, ref);
        const account = await this.ledger.findAccount(userId, em);
        throw new DomainError(ErrorCode.InsufficientBalance, 'Insufficient balance', {
          required: this.credits(amount),
          available: this.credits(account ? account.balance - account.held : 0),
        });
      }
      const entry = await this.ledger.claimEntry(em, {
        userId,
        kind: 'hold',
        amount: 0,
        heldDelta: amount,
        opKey,
        ref,
        now,
      });
      if (entry) return { status: 'held', entry };
      if (amount > 0) await this.ledger.unreserveHeld(em, userId, amount, now);
      return this.replayedHold(await this.mustFind(em, opKey), userId, amount, ref);
    });
  }

  // What the user can still spend or hold (balance minus holds), in quota units.
  async available(userId: number, m?: EntityManager): Promise<number> {
    const account = await this.ledger.findAccount(userId, m);
    return account ? account.balance - account.held : 0;
  }

  // What moved for `ref` (read-only, in quota units): for a task's timeline.
  movementsFor(ref: LedgerRef): Promise<LedgerEntry[]> {
    return this.ledger.ledgerForRef(ref.type, ref.id);
  }

  // Charges the hold of `ref` exactly once: `finalAmount` (default: the hold) is charged and the
  // rest of the hold released. After a release it is a reported no-op.
  capture(ref: LedgerRef, finalAmount?: number, m?: EntityManager, expected?: ExpectedHold): Promise<SettleOutcome> {
    if (finalAmount !== undefined) assertQuota(finalAmount, 'finalAmount', true);
    return this.settle(ref, 'capture', finalAmount, m, expected);
  }

  // Returns the hold of `ref` exactly once. After a capture it is a reported no-op.
  release(ref: LedgerRef, m?: EntityManager, expected?: ExpectedHold): Promise<SettleOutcome> {
    return this.settle(ref, 'release', 0, m, expected);
  }

  // Adds purchased credits exactly once per reference (an order).
  credit(userId: number, amount: number, ref: LedgerRef, m?: EntityManager): Promise<CreditOutcome> {
    assertQuota(amount, 'amount');
    return this.inTx(m, async (em) => {
      const opKey = `topup:${refKey(ref)}`;
      const now = this.clock.now();
      const entry = await this.ledger.claimEntry(em, { userId, kind: 'topup', amount, heldDelta: 0, opKey, ref, now });
      if (!entry) {
        const existing = await this.mustFind(em, opKey);
        if (existing.userId !== userId || existing.amount !== amount) {
          throw new DomainError(ErrorCode.IdempotencyMismatch, `A different top-up already exists for ${refKey(ref)}`);
        }
        return { status: 'already_credited', entry: existing };
      }
      await this.ledger.ensureAccount(em, userId, now);
      await this.ledger.addBalance(em, userId, amount, now);
      return { status: 'credited', entry };
    });
  }

  // An admin's signed correction. Never leaves available below zero.
  adjust(
    actorId: number,
    userId: number,
    delta: number,
    reason: string,
    ref: LedgerRef,
    m?: EntityManager,
  ): Promise<{ status: 'adjusted' | 'already_adjusted'; entry: LedgerEntry }> {
    if (!Number.isSafeInteger(delta) || delta === 0) throw DomainError.validation('amount', 'must not be zero');
    return this.inTx(m, async (em) => {
      const opKey = `adjust:${refKey(ref)}`;
      const now = this.clock.now();
      const entry = await this.ledger.claimEntry(em, {
        userId,
        kind: 'adjustment',
        amount: delta,
        heldDelta: 0,
        opKey,
        ref,
        note: reason,
        actorId,
        now,
      });
      if (!entry) {
        const existing = await this.mustFind(em, opKey);
        if (existing.userId !== userId || existing.amount !== delta) {
          throw new DomainError(
            ErrorCode.IdempotencyMismatch,
            `Reference ${ref.id} was already used for another adjustment`,
          );
        }
        return { status: 'already_adjusted', entry: existing };
      }
      await this.ledger.ensureAccount(em, userId, now);
      if (!(await this.ledger.addBalance(em, userId, delta, now))) {
        throw new DomainError(ErrorCode.InsufficientBalance, 'The adjustment would leave available credits below zero');
      }
      return { status: 'adjusted', entry };
    });
  }

  private settle(
    ref: LedgerRef,
    kind: 'capture' | 'release',
    finalAmount: number | undefined,
    m?: EntityManager,
    expected?: ExpectedHold,
  ): Promise<SettleOutcome> {
    return this.inTx(m, async (em) => {
      const opKey = `settle:${refKey(ref)}`;
      const now = this.clock.now();
      if (expected) {
        const claimed = await this.claimExpected(em, kind, finalAmount, expected, { opKey, ref, now });
        if (claimed) return claimed;
      }
      // No expectation, or the hold is not the one expected: read it, then claim.
      const hold = await this.ledger.findByOpKey(em, `hold:${refKey(ref)}`);
      if (!hold) throw new DomainError(ErrorCode.NotFound, `No hold exists for ${refKey(ref)}`);
      const requested = finalAmount ?? hold.heldDelta;
      const charge = Math.min(requested, hold.heldDelta);
      const claimed = await this.ledger.claimEntry(em, {
        userId: hold.userId,
        kind,
        amount: -charge,
        heldDelta: -hold.heldDelta,
        opKey,
        ref,
        now,
      });
      if (!claimed) return this.alreadySettled(em, opKey);
      return this.closeHold(em, kind, { userId: hold.userId, amount: hold.heldDelta }, requested, now);
    });
  }

  // The settlement claimed in one statement that checks the hold is `expected`; null when it is not.
  private async claimExpected(
    em: EntityManager,
    kind: 'capture' | 'release',
    finalAmount: number | undefined,
    expected: ExpectedHold,
    e: { opKey: string; ref: LedgerRef; now: number },
  ): Promise<SettleOutcome | null> {
    const requested = finalAmount ?? expected.amount;
    const charge = Math.min(requested, expected.amount);
    const holdOpKey = `hold:${refKey(e.ref)}`;
    const claim = await this.ledger.claimSettlement(
      em,
      { holdOpKey, userId: expected.userId, held: expected.amount, charge, kind },
      e,
    );
    if (claim === 'taken') return this.alreadySettled(em, e.opKey);
    if (claim === 'no_match') return null;
    return this.closeHold(em, kind, expected, requested, e.now);
  }

  // The account side of a claimed settlement: the hold leaves `held`, the charge leaves `balance`.
  private async closeHold(
    em: EntityManager,
    kind: 'capture' | 'release',
    hold: ExpectedHold,
    requested: number,
    now: number,
  ): Promise<SettleOutcome> {
    const charge = Math.min(requested, hold.amount);
    const nothingHeld = hold.amount === 0 && charge === 0; // a free video: no account change
    // The account is written at commit, once for all of the transaction's settlements of it.
    if (!nothingHeld) await this.ledger.settleHeldAtCommit(em, hold.userId, hold.amount, charge, now);
    return kind === 'capture'
      ? { status: 'captured', charged: charge, ...(requested > charge ? { capped: true } : {}) }
      : { status: 'released', charged: 0 };
  }

  private async alreadySettled(em: EntityManager, opKey: string): Promise<SettleOutcome> {
    const existing = await this.mustFind(em, opKey);
    return existing.kind === 'capture'
      ? { status: 'already_captured', charged: 0 }
      : { status: 'already_released', charged: 0 };
  }

  private replayedHold(existing: LedgerEntry, userId: number, amount: number, ref: LedgerRef): HoldOutcome {
    if (existing.userId !== userId || existing.heldDelta !== amount) {
      throw new DomainError(ErrorCode.IdempotencyMismatch, `A different hold already exists for ${refKey(ref)}`);
    }
    return { status: 'already_held', entry: existing };
  }

  private async mustFind(em: EntityManager, opKey: string): Promise<LedgerEntry> {
    const found = await this.ledger.findByOpKey(em, opKey);
    if (!found) throw new Error(`Ledger entry ${opKey} vanished`);
    return found;
  }

  private inTx<T>(m: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return m ? work(m) : this.db.tx(work);
  }

  private credits(quota: number): number {
    return quotaToCredits(quota, this.config.quotaPerCredit);
  }
}

function assertQuota(value: number, field: string, allowZero = false): void {
  if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw DomainError.validation(
      field,
      allowZero ? 'must be a whole, non-negative quota amount' : 'must be a whole, positive quota amount',
    );
  }
}
