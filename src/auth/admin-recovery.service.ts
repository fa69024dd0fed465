import { Injectable } from '@nestjs/common';
import { systemActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { PasswordHasher } from './password-hasher.service';
import { PasswordRecovery, UserRepository } from './user.repository';

const GENERATED_PASSWORD_LENGTH = 24;

export interface AdminRecovery {
  email: string;
  password: string;
  generated: boolean;
  outcome: PasswordRecovery;
}

// `npm run admin:reset-password`: the way back in from the server's shell when the admin password is
// lost. The account gets a new password (generated unless given), is active and an admin again, and
// every session issued before ends. Built by hand in tools/admin (no Nest app, no jobs).
@Injectable()
export class AdminRecoveryService {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async recover(email: string, password?: string): Promise<AdminRecovery> {
    const chosen = password ?? this.crypto.randomString(GENERATED_PASSWORD_LENGTH);
    const normalized = email.trim().toLowerCase();
    const hash = await this.hasher.hash(chosen);
    // A security event: whoever has the server's shell took over (or made) this admin account.
    const outcome = await this.users.recoverAdmin(normalized, hash, this.clock.now(), (em, done) =>
      this.audit.record(em, systemActor('admin:reset-password'), {
        action: 'user.admin_recovery',
        target: { type: 'user', id: done.userId },
        after: {
          outcome: done.outcome,
          role: 'admin',
          status: 'active',
          chosen_by: password ? 'operator' : 'generated',
        },
      }),
    );
    return { email: normalized, password: chosen, generated: password === undefined, outcome };
  }
}
