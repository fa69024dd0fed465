import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { CryptoService } from '../common/crypto/crypto.service';

const SEAL = 'webhook-secret';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

// Standard Webhooks signing (the `standardwebhooks` package signs, so receivers using it, or
// OpenAI's SDK, verify unchanged): `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with
// the base64-decoded part of the `whsec_…` secret. Secrets are stored sealed with APP_SECRET.
@Injectable()
export class WebhookSigner {
  constructor(private readonly crypto: CryptoService) {}

  newSecret(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  seal(secret: string): string {
    return this.crypto.encrypt(SEAL, secret);
  }

  unseal(sealed: string): string {
    return this.crypto.decrypt(SEAL, sealed);
  }

  sign(messageId: string, timestampSec: number, body: string, secret: string): SignedHeaders {
    return {
      'webhook-id': messageId,
      'webhook-timestamp': String(timestampSec),
      'webhook-signature': new Webhook(secret).sign(messageId, new Date(timestampSec * 1000), body),
    };
  }
}
