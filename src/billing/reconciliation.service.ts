import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { AppConfig } from '../config/app-config';
import { ReconciliationDto, ReconciliationMismatchDto } from './billing.dto';
import { LedgerRepository } from './ledger.repository';
import { quotaToCredits } from '../common/money/money';

const PAGE = 500;
const MAX_SETTLEMENT_PROBLEMS = 1000;

// Seed 002's accounting check made real: every account must equal the sum of its ledger, and
// every capture or release must close a hold of the same user and amount.
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReconciliationService.name);
  }

  report(_admin: AuthUser): Promise<ReconciliationDto> {
    return this.reconcile();
  }

  // The daily job: one error line per mismatch, one summary line.
  async runAndLog(): Promise<ReconciliationDto> {
    const r = await this.reconcile();
    for (const m of r.mismatches) this.logger.error({ mismatch: m }, 'ledger reconciliation mismatch');
    this.logger.info(
      { checked_accounts: r.checked_accounts, mismatches: r.mismatches.length },
      'ledger reconciliation done',
    );
    return r;
  }

  async reconcile(): Promise<ReconciliationDto> {
    const mismatches: ReconciliationMismatchDto[] = [];
    const credits = (q: number) => quotaToCredits(q, this.config.quotaPerCredit);
    let checked = 0;
    for (let after = 0; ;) {
      const rows = await this.ledger.accountSums(after, PAGE);
      for (const a of rows) {
        const add = (check: string, expected: number, actual: number) =>
          mismatches.push({ user_id: a.userId, check, expected: credits(expected), actual: credits(actual) });
        if (a.balance !== a.ledgerBalance) add('balance', a.ledgerBalance, a.balance);
        if (a.held !== a.ledgerHeld) add('held', a.ledgerHeld, a.held);
        if (a.used !== a.ledgerUsed) add('used', a.ledgerUsed, a.used);
        if (a.held < 0 || a.balance - a.held < 0) add('available', 0, a.balance - a.held);
      }
      checked += rows.length;
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].userId;
    }
    for (const p of await this.ledger.settlementProblems(MAX_SETTLEMENT_PROBLEMS)) {
      mismatches.push({
        user_id: p.userId,
        check: 'settlement',
        expected: `a hold for ${p.refType}:${p.refId}`,
        actual: `${p.problem} (entry ${p.entryId})`,
      });
    }
    return { ok: mismatches.length === 0, checked_accounts: checked, mismatches, generated_at: this.clock.now() };
  }
}
