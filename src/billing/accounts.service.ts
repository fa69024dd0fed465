import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UserRepository } from '../auth/user.repository';
import { Db } from '../common/database/db.service';
import { AuthUser } from '../common/auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { AdjustCreditsDto, AdjustmentDto, BalanceDto, LedgerEntryDto } from './billing.dto';
import { BillingService } from './billing.service';
import { CreditAccount } from './credit-account.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { LedgerRepository } from './ledger.repository';
import { creditsToQuota, quotaToCredits } from '../common/money/money';

// What users and admins see of accounts: balances and ledgers in credits, and admin adjustments.
@Injectable()
export class AccountsService {
  constructor(
    private readonly billing: BillingService,
    private readonly ledger: LedgerRepository,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {}

  async balance(user: AuthUser): Promise<BalanceDto> {
    return this.toBalance(await this.ledger.findAccount(user.id));
  }

  async ledgerPage(user: AuthUser, query: PageQueryDto): Promise<Page<LedgerEntryDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.ledger.listForUser(user.id, page);
    return pageOf(rows, total, page, (e) => this.toEntry(e));
  }

  async adjust(admin: AuthUser, userId: number, dto: AdjustCreditsDto): Promise<AdjustmentDto> {
    const delta = creditsToQuota(dto.amount, this.config.quotaPerCredit);
    if (delta === null) throw DomainError.validation('amount', 'has more decimals than a quota unit');
    if (!(await this.users.findById(userId))) throw DomainError.notFound('User');
    const reference = dto.reference ?? randomUUID();
    return this.db.tx(async (em) => {
      const before = this.toBalance(await this.ledger.findAccount(userId, em));
      const out = await this.billing.adjust(admin.id, userId, delta, dto.reason, { type: 'admin', id: reference }, em);
      const result: AdjustmentDto = {
        status: out.status,
        entry: this.toEntry(out.entry),
        balance: this.toBalance(await this.ledger.findAccount(userId, em)),
      };
      // A replay of a reference records that it changed nothing (status already_adjusted, the
      // balance as it was): the trail shows every accepted admin request, repeats included.
      await this.audit.record(em, admin, {
        action: 'credits.adjust',
        target: { type: 'user', id: userId },
        before,
        after: { ...result.balance, status: out.status, amount: result.entry.amount, reference, reason: dto.reason },
      });
      return result;
    });
  }

  private toBalance(a: CreditAccount | null): BalanceDto {
    const balance = a?.balance ?? 0;
    const held = a?.held ?? 0;
    return {
      balance: this.credits(balance),
      held: this.credits(held),
      available: this.credits(balance - held),
      used: this.credits(a?.used ?? 0),
    };
  }

  private toEntry(e: LedgerEntry): LedgerEntryDto {
    return {
      id: e.id,
      kind: e.kind,
      amount: this.credits(e.amount),
      held_delta: this.credits(e.heldDelta),
      ref_type: e.refType,
      ref_id: e.refId,
      note: e.note,
      created_at: e.createdAt,
    };
  }

  private credits(quota: number): number {
    return quotaToCredits(quota, this.config.quotaPerCredit);
  }
}
