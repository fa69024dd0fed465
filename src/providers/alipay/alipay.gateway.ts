import { Injectable, OnModuleInit } from '@nestjs/common';
import { AlipaySdk } from 'alipay-sdk';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';

export interface PagePayOrder {
  outTradeNo: string;
  amountFen: number;
  subject: string;
  // Unix seconds after which Alipay refuses to take the payment (time_expire).
  expiresAt: number;
}

export type CloseResult = 'closed' | 'not_found' | 'not_closable';

export interface TradeQueryResult {
  tradeStatus: string | null; // null: Alipay does not know the trade (never paid or opened)
  totalAmount: string | null;
  tradeNo: string | null;
  sellerId: string | null;
}

// The one edge to Alipay (alipay-sdk v4): page-pay URLs, notify signature checks, trade queries
// and closes. Every answer of Alipay's gateway is signature-checked (exec's validateSign): an
// unsigned or forged answer throws and is never believed. Tests point ALIPAY_GATEWAY at a local
// stand-in that signs with a test key pair.
@Injectable()
export class AlipayGateway implements OnModuleInit {
  private readonly sdk: AlipaySdk | null;

  constructor(
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AlipayGateway.name);
    const c = config.alipay;
    this.sdk = c
      ? new AlipaySdk({
          appId: c.appId,
          privateKey: c.privateKey,
          alipayPublicKey: c.alipayPublicKey,
          keyType: c.keyType,
          gateway: c.gateway,
          signType: 'RSA2',
        })
      : null;
  }

  get configured(): boolean {
    return this.sdk !== null;
  }

  // One line at start: the keys as detected (load-config refuses keys that do not parse).
  onModuleInit(): void {
    const c = this.config.alipay;
    if (c) this.logger.info({ app_id: c.appId, gateway: c.gateway }, `alipay keys ok: ${c.keySummary}`);
    else this.logger.info('alipay not configured (ALIPAY_* unset): payments answer 503');
  }

  pagePayUrl(order: PagePayOrder, notifyUrl: string): string {
    return this.mustSdk().pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: order.outTradeNo,
        total_amount: fenToYuan(order.amountFen),
        subject: order.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        // Absolute, in Alipay's time zone: after it Alipay refuses the payment, so an order
        // Reelay closes at expiry cannot be paid later.
        time_expire: beijingTime(order.expiresAt),
      },
      notifyUrl,
      ...(this.config.alipay?.returnUrl ? { returnUrl: this.config.alipay.returnUrl } : {}),
    });
  }

  // RSA2 over the decoded form fields (Fastify has already URL-decoded them).
  verifyNotify(params: Record<string, string>): boolean {
    return this.sdk ? this.sdk.checkNotifySignV2(params) : false;
  }

  async queryTrade(outTradeNo: string): Promise<TradeQueryResult> {
    const res = await this.signedExec('alipay.trade.query', outTradeNo);
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    if (res.subCode === 'ACQ.TRADE_NOT_EXIST')
      return { tradeStatus: null, totalAmount: null, tradeNo: null, sellerId: null };
    if (res.code !== '10000')
      throw new Error(`alipay.trade.query answered ${String(res.code)} ${String(res.subMsg ?? res.msg)}`);
    return {
      tradeStatus: str(res.tradeStatus),
      totalAmount: str(res.totalAmount),
      tradeNo: str(res.tradeNo),
      sellerId: str(res.sellerId),
    };
  }

  // Asks Alipay to close an unpaid trade. `not_found`: Alipay never opened it (the buyer never
  // reached the cashier); `not_closable`: it is paid or finished (query it and settle).
  async closeTrade(outTradeNo: string): Promise<CloseResult> {
    const res = await this.signedExec('alipay.trade.close', outTradeNo);
    if (res.code === '10000') return 'closed';
    if (res.subCode === 'ACQ.TRADE_NOT_EXIST') return 'not_found';
    if (res.subCode === 'ACQ.TRADE_STATUS_ERROR') return 'not_closable';
    throw new Error(`alipay.trade.close answered ${String(res.code)} ${String(res.subCode ?? res.subMsg ?? res.msg)}`);
  }

  private async signedExec(method: string, outTradeNo: string): Promise<Record<string, unknown>> {
    return await this.mustSdk().exec(method, { bizContent: { out_trade_no: outTradeNo } }, { validateSign: true });
  }

  private mustSdk(): AlipaySdk {
    if (!this.sdk) throw new Error('Alipay is not configured');
    return this.sdk;
  }
}

// "yyyy-MM-dd HH:mm:ss" in UTC+8 (Alipay's clock).
export function beijingTime(unixSeconds: number): string {
  return new Date((unixSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export function fenToYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// "49.00" / "49" / "49.9" → 4990; null for anything that is not a plain amount.
export function yuanToFen(yuan: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
