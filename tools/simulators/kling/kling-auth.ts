import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';

// Kling's JWT check (providers.md §1.2, §1.9): HS256 signed with the SK, `iss` = AK,
// `nbf`/`exp` in unix seconds, no clock tolerance beyond what the token itself carries.

export type AuthCode = 1000 | 1001 | 1002 | 1003 | 1004;
export type AuthResult = { ok: true; ak: string } | { ok: false; code: AuthCode; message: string };

export interface AuthKey {
  sk: string;
  secret: Uint8Array;
}

const MESSAGES: Record<AuthCode, string> = {
  1000: 'Authentication failed',
  1001: 'Authorization is empty',
  1002: 'Authorization is invalid',
  1003: 'Authorization is not yet valid',
  1004: 'Authorization has expired',
};

const deny = (code: AuthCode): AuthResult => ({ ok: false, code, message: MESSAGES[code] });

interface Verified {
  ak: string;
  sk: string;
  nbf: number | undefined;
  exp: number | undefined;
}

const CACHE_MAX = 10_000;

export class KlingAuthenticator {
  // Tokens whose signature already checked out: a gateway reuses one token for many calls, so the
  // HMAC runs once per token; the time claims are re-checked on every call.
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly keyOf: (ak: string) => AuthKey | undefined) {}

  async authenticate(header: string | undefined): Promise<AuthResult> {
    if (header === undefined || header.trim() === '') return deny(1001);
    const m = /^Bearer ([^\s]+)$/.exec(header);
    if (!m) return deny(1002);
    const token = m[1];

    const cached = this.verified.get(token);
    if (cached) {
      const key = this.keyOf(cached.ak);
      if (key && key.sk === cached.sk) return this.checkTimes(cached);
      this.verified.delete(token);
    }

    let iss: unknown;
    let nbf: unknown;
    let exp: unknown;
    try {
      decodeProtectedHeader(token);
      ({ iss, nbf, exp } = decodeJwt(token));
    } catch {
      return deny(1002);
    }
    if ((nbf !== undefined && typeof nbf !== 'number') || (exp !== undefined && typeof exp !== 'number')) {
      return deny(1002);
    }
    if (typeof iss !== 'string') return deny(1000);
    const key = this.keyOf(iss);
    if (!key) return deny(1000);

    try {
      await jwtVerify(token, key.secret, { algorithms: ['HS256'], clockTolerance: 0 });
    } catch (err) {
      if (err instanceof errors.JWTExpired) return deny(1004);
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf') return deny(1003);
      return deny(1000);
    }
    if (this.verified.size >= CACHE_MAX) this.verified.clear();
    const entry: Verified = { ak: iss, sk: key.sk, nbf, exp };
    this.verified.set(token, entry);
    return { ok: true, ak: iss };
  }

  // The same comparisons jose makes: nbf > now fails, exp <= now fails (now in whole seconds).
  private checkTimes(v: Verified): AuthResult {
    const now = Math.floor(Date.now() / 1000);
    if (v.nbf !== undefined && v.nbf > now) return deny(1003);
    if (v.exp !== undefined && v.exp <= now) return deny(1004);
    return { ok: true, ak: v.ak };
  }
}
