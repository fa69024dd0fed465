import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { AlipayGateway } from '../providers/alipay/alipay.gateway';
import { PaymentsRepository } from './payments.repository';
import { SettlementService } from './settlement.service';

// Alipay's async notify. `success` for every authentic notification (duplicates included, so
// Alipay stops re-sending); `fail` for anything that does not verify, and nothing changes.
@Injectable()
export class AlipayNotifyService {
  constructor(
    private readonly alipay: AlipayGateway,
    private readonly settlement: SettlementService,
    private readonly payments: PaymentsRepository,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AlipayNotifyService.name);
  }

  async handle(contentType: string | undefined, body: unknown): Promise<'success' | 'fail'> {
    // Alipay posts forms only; anything else is not Alipay.
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return 'fail';
    try {
      return await this.process(body);
    } catch (err) {
      // Alipay re-sends on anything but `success`: a transient error gets another chance.
      this.logger.error({ err: (err as Error).message }, 'alipay notify failed');
      return 'fail';
    }
  }

  private async process(body: unknown): Promise<'success' | 'fail'> {
    const params = formFields(body);
    if (!params || !params.sign || !params.out_trade_no || !params.trade_status || !params.app_id) return 'fail';
    if (!this.alipay.verifyNotify(params)) {
      this.logger.warn({ out_trade_no: params.out_trade_no }, 'alipay notify signature invalid');
      return 'fail';
    }
    const order = await this.settlement.checkMerchant({
      outTradeNo: params.out_trade_no,
      tradeNo: params.trade_no ?? null,
      totalAmount: params.total_amount ?? null,
      sellerId: params.seller_id ?? null,
      appId: params.app_id,
    });
    if (!order) return 'fail';
    if (this.settlement.isPaid(params.trade_status)) {
      await this.settlement.settle(order, params.trade_no ?? null);
    } else if (params.trade_status === 'TRADE_CLOSED') {
      await this.payments.markClosed(order.outTradeNo, this.clock.now());
    }
    return 'success';
  }
}

// Form fields as plain strings; anything else (arrays from repeated keys, nested objects) is not
// an Alipay notification.
function formFields(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}
