import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from './password-hasher.service';
import { UserRepository } from './user.repository';

// Writes straight to the terminal (stderr, outside the JSON log lines on stdout), never to the
// log: the generated password must be seen once by the operator and must not sit in a log store.
export class Terminal {
  write(text: string): void {
    process.stderr.write(text);
  }
}

// First start: create the admin account. There is never a default password: without
// ADMIN_PASSWORD a strong one is generated and shown once.
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly terminal: Terminal,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AdminBootstrapService.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  async ensureAdmin(): Promise<void> {
    if (await this.users.hasAdmin()) return;
    const email = this.config.adminEmail;
    const generated = this.config.adminPassword ? null : this.crypto.randomString(24);
    const password = this.config.adminPassword ?? (generated as string);
    const created = await this.users.insertUser({
      email,
      passwordHash: await this.hasher.hash(password),
      role: 'admin',
      plan: 'enterprise',
      now: this.clock.now(),
    });
    if (!created) {
      // Another process (a worker, a replica) created it a moment ago: nothing to say.
      if (await this.users.hasAdmin()) return;
      this.logger.warn(
        { email },
        'no admin exists and ADMIN_EMAIL belongs to a non-admin user; promote one with the admin API',
      );
      return;
    }
    this.logger.info({ email }, 'created the admin account');
    if (generated) {
      this.terminal.write(
        [
          '',
          '==================================================================',
          ' Reelay created the admin account. This password is shown ONCE:',
          `   email:    ${email}`,
          `   password: ${generated}`,
          ' Log in with POST /api/auth/login and keep it somewhere safe.',
          '==================================================================',
          '',
        ].join('\n'),
      );
    }
  }
}
