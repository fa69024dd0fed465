import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { MediaObjectMissing, MediaStorage } from './media-storage';

const PURPOSE = 'reference-link';
const PREFIX = 'references';
// A provider fetches a first frame when it starts the task; two days covers every queue.
const LINK_TTL_S = 2 * 86_400;
const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

// Uploaded first-frame images a provider must fetch by URL (KIE): kept in media storage under
// references/<day>/, reachable through a signed link until it expires, deleted after that.
@Injectable()
export class ReferenceImages {
  constructor(
    private readonly storage: MediaStorage,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async publish(userId: number, data: Buffer, mime: string): Promise<string> {
    const day = new Date(this.clock.now() * 1000).toISOString().slice(0, 10);
    const sha = createHash('sha256').update(data).digest('hex');
    const key = `${PREFIX}/${day}/u${userId}/${sha}.${EXT[mime] ?? 'bin'}`;
    await this.storage.put(key, Readable.from(data), mime);
    const expiresAt = this.clock.now() + LINK_TTL_S;
    const token = `${Buffer.from(key).toString('base64url')}.${expiresAt}.${this.sign(key, expiresAt)}`;
    return `${this.config.serverAddress}/media/references/${token}`;
  }

  async open(token: string): Promise<{ body: Readable; contentType: string }> {
    const m = /^([A-Za-z0-9_-]{1,700})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    const key = m ? Buffer.from(m[1], 'base64url').toString('utf8') : '';
    if (!m || !key.startsWith(`${PREFIX}/`) || !this.crypto.safeEqual(m[3], this.sign(key, Number(m[2])))) {
      throw new DomainError(ErrorCode.Forbidden, 'Invalid media link');
    }
    if (this.clock.now() >= Number(m[2])) throw new DomainError(ErrorCode.Gone, 'This media link has expired');
    const ext = key.split('.').pop() ?? '';
    const contentType = Object.entries(EXT).find(([, e]) => e === ext)?.[0] ?? 'application/octet-stream';
    try {
      return { body: await this.storage.get(key), contentType };
    } catch (err) {
      if (err instanceof MediaObjectMissing) throw DomainError.notFound('Reference image');
      throw err;
    }
  }

  // References whose links have all expired (older than the link lifetime) go.
  async deleteExpired(): Promise<number> {
    const cutoff = new Date((this.clock.now() - LINK_TTL_S - 86_400) * 1000).toISOString().slice(0, 10);
    let deleted = 0;
    for (const key of await this.storage.list(`${PREFIX}/`)) {
      const day = key.split('/')[1] ?? '';
      if (day >= cutoff) continue;
      await this.storage.delete(key);
      deleted++;
    }
    return deleted;
  }

  private sign(key: string, expiresAt: number): string {
    return this.crypto.hmac(PURPOSE, `${key}\n${expiresAt}`);
  }
}
