import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { assertAdmin, AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Db } from '../common/database/db.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import {
  ChangePasswordDto,
  CreatedUserDto,
  CreateUserDto,
  PasswordLinkDto,
  PasswordLinkInfoDto,
  PasswordLinkTokenDto,
  PasswordResetDto,
  RedeemPasswordLinkDto,
  ResetPasswordDto,
} from './accounts.dto';
import { AuthCache } from './auth-cache';
import { SessionDto } from './auth.dto';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher.service';
import { PasswordLinkPurpose } from './password-link.entity';
import { PasswordLinkRepository } from './password-link.repository';
import { UserRepository } from './user.repository';
import { mapUser } from './users.dto';

const LINK_TTL_S: Record<PasswordLinkPurpose, number> = { setup: 7 * 24 * 3600, reset: 24 * 3600 };
const LINK_TOKEN_LENGTH = 43; // ~256 bits over [A-Za-z0-9]
const GENERATED_PASSWORD_LENGTH = 20;
// The console page that redeems a link; the token rides in the fragment, which browsers never send.
export const SET_PASSWORD_PATH = '/set-password';

// Accounts beyond self-registration: admins create users and reset passwords, users change their
// own, and one-time links set a password. Every password change ends the user's earlier sessions.
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UserRepository,
    private readonly links: PasswordLinkRepository,
    private readonly auth: AuthService,
    private readonly cache: AuthCache,
    private readonly hasher: PasswordHasher,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async createUser(admin: AuthUser, dto: CreateUserDto): Promise<CreatedUserDto> {
    assertAdmin(admin);
    const now = this.clock.now();
    // Without a password the account gets an unguessable one nobody knows, until the link sets it.
    const passwordHash = await this.hasher.hash(dto.password ?? this.crypto.randomString(LINK_TOKEN_LENGTH));
    return this.db.tx(async (em) => {
      const user = await this.users.insertUser(
        { email: dto.email, passwordHash, role: dto.role ?? 'user', plan: dto.plan ?? 'free', now },
        em,
      );
      if (!user) throw new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists');
      const setupLink = dto.password ? null : await this.issueLink(em, user.id, 'setup', admin.id, now);
      await this.audit.record(em, admin, {
        action: 'user.create',
        target: { type: 'user', id: user.id },
        // Neither the password nor the link: only how the first password gets set.
        after: { ...mapUser(user), first_password: setupLink ? 'setup_link' : 'set_by_admin' },
      });
      return { user: mapUser(user), setup_link: setupLink };
    });
  }

  async resetPassword(admin: AuthUser, userId: number, dto: ResetPasswordDto): Promise<PasswordResetDto> {
    assertAdmin(admin);
    const now = this.clock.now();
    if (dto.mode === 'link') {
      const link = await this.db.tx(async (em) => {
        if (!(await this.users.findById(userId, em))) throw DomainError.notFound('User');
        const issued = await this.issueLink(em, userId, 'reset', admin.id, now);
        await this.recordReset(em, admin, userId, { mode: 'link', link_expires_at: issued.expires_at });
        return issued;
      });
      return { mode: 'link', link, password: null };
    }
    const password = this.crypto.randomString(GENERATED_PASSWORD_LENGTH);
    const hash = await this.hasher.hash(password);
    await this.db.tx(async (em) => {
      if (!(await this.users.setPassword(userId, hash, now, em))) throw DomainError.notFound('User');
      await this.links.supersede(em, userId, now);
      await this.recordReset(em, admin, userId, { mode: 'password', sessions_ended: true });
    });
    this.cache.forgetUser(userId);
    return { mode: 'password', link: null, password };
  }

  // What a reset did, never the password or the link it produced.
  private recordReset(em: EntityManager, admin: AuthUser, userId: number, after: Record<string, unknown>) {
    return this.audit.record(em, admin, { action: 'user.password_reset', target: { type: 'user', id: userId }, after });
  }

  async inspectLink(dto: PasswordLinkTokenDto): Promise<PasswordLinkInfoDto> {
    const link = await this.links.findUsable(this.crypto.sha256(dto.token), this.clock.now());
    const user = link && (await this.users.findById(link.userId));
    if (!link || !user) throw invalidLink();
    return { email: user.email, purpose: link.purpose, expires_at: link.expiresAt };
  }

  // Sets the password and logs the user in. A used, superseded or expired link changes nothing.
  async redeemLink(dto: RedeemPasswordLinkDto): Promise<SessionDto> {
    const now = this.clock.now();
    const tokenHash = this.crypto.sha256(dto.token);
    const pending = await this.links.findUsable(tokenHash, now);
    if (!pending) throw invalidLink();
    const hash = await this.hasher.hash(dto.password);
    const userId = await this.db.tx(async (em) => {
      const user = await this.users.findById(pending.userId, em);
      if (user?.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
      const claimed = await this.links.claim(em, tokenHash, now);
      if (!claimed) throw invalidLink();
      await this.users.setPassword(claimed.userId, hash, now, em);
      return claimed.userId;
    });
    return this.freshSession(userId);
  }

  // Needs the current password; every other session of the user ends, this caller gets a new one.
  async changePassword(user: AuthUser, dto: ChangePasswordDto): Promise<SessionDto> {
    const row = await this.users.findById(user.id);
    if (!row) throw DomainError.notFound('User');
    if (!(await this.hasher.verify(row.passwordHash, dto.current_password))) {
      throw DomainError.validation('current_password', 'is not your current password');
    }
    if (dto.new_password === dto.current_password) {
      throw DomainError.validation('new_password', 'must differ from the current password');
    }
    await this.users.setPassword(user.id, await this.hasher.hash(dto.new_password), this.clock.now());
    return this.freshSession(user.id);
  }

  private async issueLink(
    em: EntityManager,
    userId: number,
    purpose: PasswordLinkPurpose,
    createdBy: number,
    now: number,
  ): Promise<PasswordLinkDto> {
    const token = this.crypto.randomString(LINK_TOKEN_LENGTH);
    const expiresAt = now + LINK_TTL_S[purpose];
    await this.links.replaceLink(em, {
      userId,
      tokenHash: this.crypto.sha256(token),
      purpose,
      createdBy,
      expiresAt,
      now,
    });
    return { url: `${this.config.serverAddress}${SET_PASSWORD_PATH}#token=${token}`, purpose, expires_at: expiresAt };
  }

  private async freshSession(userId: number): Promise<SessionDto> {
    this.cache.forgetUser(userId);
    const row = await this.users.findById(userId);
    if (!row) throw DomainError.notFound('User');
    return this.auth.session(row);
  }
}

function invalidLink(): DomainError {
  return new DomainError(
    ErrorCode.PasswordLinkInvalid,
    'This link was already used, replaced by a newer one, or has expired; ask an admin for a new one',
  );
}
