import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuthCache } from '../auth/auth-cache';
import { grantPlan } from '../auth/user.repository';
import { UserPlan } from '../common/auth/auth-user';
import { BillingService } from '../billing/billing.service';
import { Clock } from '../common/clock/clock.service';
import { Db } from '../common/database/db.service';
import { AppConfig } from '../config/app-config';
import { yuanToFen } from '../providers/alipay/alipay.gateway';
import { QuotasService } from '../quotas/quotas.service';
import { PaymentOrder } from './payment-order.entity';
import { PaymentsRepository } from './payments.repository';

export interface PaidTrade {
  outTradeNo: string;
  tradeNo: string | null;
  totalAmount: string | null;
  sellerId: string | null;
  appId: string | null;
}

export type Verdict = 'settled' | 'late_settled' | 'already_settled' | 'rejected';

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

// Turns an authentic "paid" report from Alipay (notify or trade query) into credits, once:
// the order leaves `pending` by one conditional UPDATE, and in the same transaction the credits
// are added (reference = the order), the provider quota recorded and the plan granted.
@Injectable()
export class SettlementService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly billing: BillingService,
    private readonly quotas: QuotasService,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly authCache: AuthCache,
  ) {
    this.logger.setContext(SettlementService.name);
  }

  isPaid(tradeStatus: string | null | undefined): boolean {
    return !!tradeStatus && PAID.has(tradeStatus);
  }

  // The four merchant checks of Alipay's notify rules; returns the order when all hold.
  async checkMerchant(t: PaidTrade): Promise<PaymentOrder | null> {
    const order = await this.payments.findOrderByTradeNo(t.outTradeNo);
    const alipay = this.config.alipay;
    const problem = !order
      ? 'unknown order'
      : t.totalAmount === null || yuanToFen(t.totalAmount) !== order.amountFen
        ? 'amount differs from the order'
        : alipay?.sellerId && t.sellerId !== alipay.sellerId
          ? 'seller_id is not ours'
          : t.appId !== null && t.appId !== alipay?.appId
            ? 'app_id is not ours'
            : null;
    if (problem) {
      this.logger.warn({ out_trade_no: t.outTradeNo, problem }, 'payment report refused');
      return null;
    }
    return order;
  }

  // A paid report for an order Reelay had closed (expired) is credited too: the buyer's money
  // arrived, and refusing it would leave it with us and nothing with them. It is logged as a late
  // payment so an operator sees it.
  async settle(order: PaymentOrder, tradeNo: string | null): Promise<Verdict> {
    const outcome = await this.db.tx(async (em) => {
      const now = this.clock.now();
      const moved = await this.payments.markPaid(em, order.outTradeNo, tradeNo, now);
      if (!moved) return false;
      await this.billing.credit(order.userId, order.credits, { type: 'order', id: order.outTradeNo }, em);
      await this.quotas.addQuota(em, order.userId, 'viva', order.credits);
      if (order.grantsPlan) await grantPlan(em, order.userId, order.grantsPlan as UserPlan, now);
      return moved;
    });
    if (!outcome) return 'already_settled';
    if (order.grantsPlan) this.authCache.forgetUser(order.userId); // the new plan applies at once
    const fields = { out_trade_no: order.outTradeNo, user_id: order.userId, trade_no: tradeNo };
    if (outcome === 'late') {
      this.logger.warn(fields, 'late payment: Alipay reports a closed order paid; credited');
      return 'late_settled';
    }
    this.logger.info(fields, 'order paid and credited');
    return 'settled';
  }
}
