import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { signTextAsAlipay } from './alipay';

export interface FakeTrade {
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';
  totalAmount: string;
  tradeNo?: string;
  sellerId?: string;
}

// How the stand-in signs its answers: as Alipay, with a stranger's key, not at all, or with the
// body changed after signing.
export type SignMode = 'alipay' | 'stranger' | 'unsigned' | 'tampered';

export interface FakeAlipay {
  gateway: string;
  trades: Map<string, FakeTrade>;
  signMode: SignMode;
  calls: Array<{ method: string; outTradeNo: string }>;
  close(): Promise<void>;
}

// Alipay's OpenAPI gateway for alipay.trade.query and alipay.trade.close, answering as Alipay
// does: `{"<method>_response":{…},"sign":"…"}` with RSA2 over the response object's exact text.
export async function startFakeAlipay(): Promise<FakeAlipay> {
  const fake: Omit<FakeAlipay, 'gateway' | 'close'> = { trades: new Map(), signMode: 'alipay', calls: [] };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const form = new URLSearchParams(body);
      const method = url.searchParams.get('method') ?? form.get('method') ?? '';
      const biz = JSON.parse(form.get('biz_content') ?? url.searchParams.get('biz_content') ?? '{}') as {
        out_trade_no?: string;
      };
      const outTradeNo = biz.out_trade_no ?? '';
      fake.calls.push({ method, outTradeNo });
      const answer = JSON.stringify(respond(fake.trades, method, outTradeNo));
      const key = `${method.replaceAll('.', '_')}_response`;
      const sign = signTextAsAlipay(answer, fake.signMode === 'stranger' ? 'stranger' : 'alipay');
      const shown = fake.signMode === 'tampered' ? answer.replace('WAIT_BUYER_PAY', 'TRADE_SUCCESS') : answer;
      const text = fake.signMode === 'unsigned' ? `{"${key}":${shown}}` : `{"${key}":${shown},"sign":"${sign}"}`;
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    gateway: `http://127.0.0.1:${port}/gateway.do`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function respond(trades: Map<string, FakeTrade>, method: string, outTradeNo: string): Record<string, unknown> {
  const trade = trades.get(outTradeNo);
  const notFound = { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' };
  if (!trade) return notFound;
  if (method === 'alipay.trade.close') {
    if (trade.status !== 'WAIT_BUYER_PAY') {
      return { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_STATUS_ERROR', sub_msg: '交易状态不合法' };
    }
    trade.status = 'TRADE_CLOSED';
    return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, trade_no: trade.tradeNo ?? '' };
  }
  return {
    code: '10000',
    msg: 'Success',
    out_trade_no: outTradeNo,
    trade_no: trade.tradeNo ?? `T${outTradeNo.slice(-10)}`,
    trade_status: trade.status,
    total_amount: trade.totalAmount,
    seller_id: trade.sellerId ?? '2088000000000001',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString('utf8')));
    req.on('end', () => resolve(s));
  });
}
