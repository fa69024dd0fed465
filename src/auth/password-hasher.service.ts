import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

// argon2id at OWASP's baseline (19 MiB, t=2, p=1), named here: the library's own defaults
// (64 MiB, t=3, p=4 in argon2 0.4x) cost five times as much per login and may change.
const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher {
  // A real hash to verify against when the email is unknown, so both paths cost the same.
  private readonly dummy = argon2.hash('reelay-timing-equalizer', PASSWORD_HASH_OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, PASSWORD_HASH_OPTIONS);
  }

  // True for a hash made under other parameters (or an older argon2 version): the next
  // successful login stores a fresh one. False for anything that is not an argon2 hash.
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
    } catch {
      return false;
    }
  }

  // A hash stored under other parameters still verifies: argon2 reads them from the hash.
  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
}
