import { createSign, generateKeyPairSync } from 'node:crypto';

// A test merchant: our app's key pair (for signing requests) and a stand-in for Alipay's key
// pair, whose private half signs notifications exactly as Alipay does (RSA2).
const app = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const alipay = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const stranger = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const ALIPAY_TEST = { appId: '2021000000000001', sellerId: '2088000000000001' };

export const alipayEnv = (): Record<string, string> => ({
  ALIPAY_APP_ID: ALIPAY_TEST.appId,
  ALIPAY_PRIVATE_KEY: app.privateKey,
  ALIPAY_PUBLIC_KEY: alipay.publicKey,
  ALIPAY_SELLER_ID: ALIPAY_TEST.sellerId,
  ALIPAY_GATEWAY: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do',
});

// Alipay's signing: every field but sign and sign_type, sorted by key, joined as k=v&k=v,
// SHA256withRSA, base64.
export function signAsAlipay(
  params: Record<string, string>,
  key: 'alipay' | 'stranger' = 'alipay',
): Record<string, string> {
  const content = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const signer = createSign('RSA-SHA256');
  signer.update(content, 'utf8');
  return {
    ...params,
    sign_type: 'RSA2',
    sign: signer.sign(key === 'alipay' ? alipay.privateKey : stranger.privateKey, 'base64'),
  };
}

// SHA256withRSA over `text`, base64, with Alipay's (test) key or a stranger's.
export function signTextAsAlipay(text: string, key: 'alipay' | 'stranger' = 'alipay'): string {
  const signer = createSign('RSA-SHA256');
  signer.update(text, 'utf8');
  return signer.sign(key === 'alipay' ? alipay.privateKey : stranger.privateKey, 'base64');
}

export function notifyFields(outTradeNo: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    notify_time: '2026-11-21 10:00:00',
    notify_type: 'trade_status_sync',
    notify_id: `n-${outTradeNo}`,
    app_id: ALIPAY_TEST.appId,
    auth_app_id: ALIPAY_TEST.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: `2026112122001${outTradeNo.slice(-8)}`,
    out_trade_no: outTradeNo,
    buyer_id: '2088102177846880',
    seller_id: ALIPAY_TEST.sellerId,
    trade_status: 'TRADE_SUCCESS',
    total_amount: '49.00',
    receipt_amount: '49.00',
    buyer_pay_amount: '49.00',
    subject: 'Reelay Basic (50 credits)',
    gmt_create: '2026-11-21 09:59:00',
    gmt_payment: '2026-11-21 09:59:30',
    ...overrides,
  };
}
