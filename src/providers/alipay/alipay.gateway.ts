import { Injectable } from '@nestjs/common';
import { AlipaySdk } from 'alipay-sdk';
import { AppConfig } from '../../config/app-config';

export interface PagePayOrder {
  outTradeNo: string;
  amountFen: number;
  subject: string;
}

export interface TradeQueryResult {
  tradeStatus: string | null; // null: Alipay does not know the trade (never paid or opened)
  totalAmount: string | null;
  tradeNo: string | null;
  sellerId: string | null;
}

// The one edge to Alipay (alipay-sdk v4): page-pay URLs, notify signature checks, trade queries.
// Tests swap it only for `queryTrade`; notifies in tests are signed with a test key pair and
// checked by the real SDK.
@Injectable()
export class AlipayGateway {
  private readonly sdk: AlipaySdk | null;

  constructor(private readonly config: AppConfig) {
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

  pagePayUrl(order: PagePayOrder, notifyUrl: string): string {
    return this.mustSdk().pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: order.outTradeNo,
        total_amount: fenToYuan(order.amountFen),
        subject: order.subject,
        product_code: 'FAST_INSTANT_TRADE_PAY',
        timeout_express: '2h',
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
    const res = (await this.mustSdk().exec('alipay.trade.query', {
      bizContent: { out_trade_no: outTradeNo },
    })) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    if (res.code === '40004') return { tradeStatus: null, totalAmount: null, tradeNo: null, sellerId: null };
    if (res.code !== '10000')
      throw new Error(`alipay.trade.query answered ${String(res.code)} ${String(res.subMsg ?? res.msg)}`);
    return {
      tradeStatus: str(res.tradeStatus),
      totalAmount: str(res.totalAmount),
      tradeNo: str(res.tradeNo),
      sellerId: str(res.sellerId),
    };
  }

  private mustSdk(): AlipaySdk {
    if (!this.sdk) throw new Error('Alipay is not configured');
    return this.sdk;
  }
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
