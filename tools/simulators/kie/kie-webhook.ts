import { createHmac, timingSafeEqual } from 'node:crypto';

// KIE's optional callback signature (providers.md §2.1 "Callback signature"): with an account-level
// webhook HMAC key, every callback carries
//   X-Webhook-Timestamp: <unix seconds>
//   X-Webhook-Signature: base64(HMAC-SHA256(key = webhookHmacKey, message = taskId + "." + timestamp))
// The signature covers the task id and timestamp only, not the body.

export const KIE_WEBHOOK_TIMESTAMP_HEADER = 'X-Webhook-Timestamp';
export const KIE_WEBHOOK_SIGNATURE_HEADER = 'X-Webhook-Signature';
export const KIE_WEBHOOK_TOLERANCE_SECONDS = 300;

export function signKieWebhook(webhookKey: string, taskId: string, timestamp: number | string): string {
  return createHmac('sha256', webhookKey).update(`${taskId}.${timestamp}`).digest('base64');
}

// Constant-time check of a signature plus a timestamp window (seconds either side of now).
export function verifyKieWebhook(
  webhookKey: string,
  taskId: string,
  timestamp: string | undefined,
  signature: string | undefined,
  opts: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (opts.toleranceSeconds ?? KIE_WEBHOOK_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signKieWebhook(webhookKey, taskId, timestamp), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
