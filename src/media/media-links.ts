import { Injectable } from '@nestjs/common';
import { CryptoService } from '../common/crypto/crypto.service';
import { AppConfig } from '../config/app-config';

const PURPOSE = 'media-link';

export type LinkCheck =
  { ok: true; taskId: string; expiresAt: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

// Signed, expiring links to a stored video: `<task id, base64url>.<expiry>.<HMAC>` where the
// HMAC (a key derived from APP_SECRET for this purpose alone) covers the stored object's key
// and the expiry. A link names one object: once the object is replaced or deleted, old links
// stop matching.
@Injectable()
export class MediaLinks {
  constructor(
    private readonly crypto: CryptoService,
    private readonly config: AppConfig,
  ) {}

  url(taskId: string, objectKey: string, nowSec: number): { url: string; expiresAt: number } {
    const expiresAt = nowSec + this.config.media.linkTtlSeconds;
    const token = `${Buffer.from(taskId).toString('base64url')}.${expiresAt}.${this.sign(objectKey, expiresAt)}`;
    return { url: `${this.config.serverAddress}/media/${token}`, expiresAt };
  }

  // The task a token names, before anything is checked (to look its object up).
  taskOf(token: string): string | null {
    const m = /^([A-Za-z0-9_-]{1,300})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    return m ? Buffer.from(m[1], 'base64url').toString('utf8') : null;
  }

  // Forged (or for another object) → 403; authentic but past its expiry → 410.
  check(token: string, objectKey: string | null, nowSec: number): LinkCheck {
    const m = /^([A-Za-z0-9_-]{1,300})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return { ok: false, reason: 'malformed' };
    const expiresAt = Number(m[2]);
    if (!objectKey || !this.crypto.safeEqual(m[3], this.sign(objectKey, expiresAt)))
      return { ok: false, reason: 'forged' };
    if (nowSec >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, taskId: Buffer.from(m[1], 'base64url').toString('utf8'), expiresAt };
  }

  private sign(objectKey: string, expiresAt: number): string {
    return this.crypto.hmac(PURPOSE, `${objectKey}\n${expiresAt}`);
  }
}
