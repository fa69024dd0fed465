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

  // Every outcome is one log line naming the order (when the form names one).
  async handle(contentType: string | undefined, body: unknown): Promise<'success' | 'fail'> {
    // Alipay posts forms only; anything else is not Alipay.
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      this.logger.warn({ content_type: contentType ?? null }, 'alipay notify refused: not a form');
      return 'fail';
    }
    const params = formFields(body);
    try {
      return await this.process(params);
    } catch (err) {
      // Alipay re-sends on anything but `success`: a transient error gets another chance.
      this.logger.error({ out_trade_no: params?.out_trade_no ?? null, err }, 'alipay notify failed; Alipay will retry');
      return 'fail';
    }
  }

  private async process(params: Record<string, string> | null): Promise<'success' | 'fail'> {
    const outTradeNo = params?.out_trade_no ?? null;
    const log = (level: 'info' | 'warn', outcome: string, extra: Record<string, unknown> = {}) =>
      this.logger[level]({ out_trade_no: outTradeNo, outcome, ...extra }, `alipay notify: ${outcome}`);
    if (!params || !params.sign || !params.out_trade_no || !params.trade_status || !params.app_id) {
      log('warn', 'refused: incomplete form');
      return 'fail';
    }
    if (!this.alipay.verifyNotify(params)) {
      log('warn', 'refused: signature invalid');
      return 'fail';
    }
    const order = await this.settlement.checkMerchant({
      outTradeNo: params.out_trade_no,
      tradeNo: params.trade_no ?? null,
      totalAmount: params.total_amount ?? null,
      sellerId: params.seller_id ?? null,
      appId: params.app_id,
    });
    if (!order) {
      log('warn', 'refused: does not match the order');
      return 'fail';
    }
    const status = params.trade_status;
    if (this.settlement.isPaid(status)) {
      const verdict = await this.settlement.settle(order, params.trade_no ?? null);
      log(verdict === 'late_settled' ? 'warn' : 'info', verdict, { trade_status: status });
    } else if (status === 'TRADE_CLOSED') {
      const closed = await this.payments.markClosed(order.outTradeNo, this.clock.now());
      log('info', closed ? 'closed' : 'closed (no change)', { trade_status: status });
    } else {
      log('info', 'acknowledged: not a payment', { trade_status: status });
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
