import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { Clock } from '../../common/clock/clock.service';

const LIFETIME_S = 1800;
const RENEW_BEFORE_S = 300;

// Kling's HS256 JWT (iss = AK, exp = now + 1800, nbf = now - 5), one per access key, reused
// until five minutes before it expires.
@Injectable()
export class KlingTokenService {
  private readonly cache = new Map<string, { token: string; exp: number }>();

  constructor(private readonly clock: Clock) {}

  // Cached per key pair: two channels may share an AK with different secrets (one of them wrong).
  async tokenFor(accessKey: string, secretKey: string): Promise<string> {
    const now = this.clock.now();
    const cacheKey = `${accessKey}|${secretKey}`;
    const hit = this.cache.get(cacheKey);
    if (hit && hit.exp - RENEW_BEFORE_S > now) return hit.token;
    const exp = now + LIFETIME_S;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(accessKey)
      .setExpirationTime(exp)
      .setNotBefore(now - 5)
      .sign(new TextEncoder().encode(secretKey));
    this.cache.set(cacheKey, { token, exp });
    return token;
  }

  // After a 1003/1004 the cached token is useless: sign anew on the next call.
  forget(accessKey: string, secretKey: string): void {
    this.cache.delete(`${accessKey}|${secretKey}`);
  }
}

// Channel keys for Kling are `AK|SK`.
export function splitKlingKey(key: string): { accessKey: string; secretKey: string } | null {
  const i = key.indexOf('|');
  if (i <= 0 || i === key.length - 1) return null;
  return { accessKey: key.slice(0, i).trim(), secretKey: key.slice(i + 1).trim() };
}
