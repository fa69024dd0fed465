import { Injectable } from '@nestjs/common';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';
import { AppConfig } from '../../config/app-config';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Randomness, hashing and keys derived from APP_SECRET. One class so tests can swap it and
// no module derives keys its own way.
@Injectable()
export class CryptoService {
  // HKDF per call showed up in the relay's profile (callback token, channel key per request);
  // the derived keys never change for a process, so derive each once.
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly config: AppConfig) {}

  // Uniform random string over [A-Za-z0-9] (randomInt avoids modulo bias).
  randomString(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHANUM[randomInt(ALPHANUM.length)];
    return out;
  }

  randomHex(bytes: number): string {
    return randomBytes(bytes).toString('hex');
  }

  sha256(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  // A separate key per purpose, so a leak of one (say the JWT key) exposes nothing else.
  deriveKey(purpose: string, length = 32): Buffer {
    return Buffer.from(this.derived(purpose, length)); // a copy: the caller may keep or change it
  }

  hmac(purpose: string, value: string): string {
    return createHmac('sha256', this.derived(purpose)).update(value).digest('base64url');
  }

  // AES-256-GCM with a key derived for `purpose`; the output carries its own IV and tag.
  encrypt(purpose: string, plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.derived(purpose), iv);
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
      ':',
    );
  }

  decrypt(purpose: string, sealed: string): string {
    const [version, iv, tag, ct] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unrecognised ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.derived(purpose), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  private derived(purpose: string, length = 32): Buffer {
    const id = `${length}:${purpose}`;
    let key = this.keys.get(id);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.config.appSecret, 'reelay', purpose, length));
      this.keys.set(id, key);
    }
    return key;
  }
}
