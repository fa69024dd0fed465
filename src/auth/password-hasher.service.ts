import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

// argon2id with the library's defaults (19 MiB, t=2, p=1: OWASP's baseline).
@Injectable()
export class PasswordHasher {
  // A real hash to verify against when the email is unknown, so both paths cost the same.
  private readonly dummy = argon2.hash('reelay-timing-equalizer', { type: argon2.argon2id });

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.dummy), password);
    } catch {
      return false;
    }
  }
}
