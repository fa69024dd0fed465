import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { anonymousActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuthUser, RequestOrigin } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { AppConfig } from '../config/app-config';
import { AuthCache, toCachedUser } from './auth-cache';
import { LoginDto, RegisterDto, SessionDto } from './auth.dto';
import { PasswordHasher } from './password-hasher.service';
import { passwordProblem } from './password-policy';
import { User } from './user.entity';
import { UserRepository } from './user.repository';
import { mapUser } from './users.dto';

export const JWT_ISSUER = 'reelay';
export const JWT_AUDIENCE = 'reelay-api';

@Injectable()
export class AuthService {
  private readonly jwtKey: Buffer;

  constructor(
    private readonly users: UserRepository,
    private readonly cache: AuthCache,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly limits: RateLimitService,
    private readonly audit: AuditService,
    crypto: CryptoService,
  ) {
    this.jwtKey = crypto.deriveKey('jwt');
  }

  get jwtVerificationKey(): Buffer {
    return this.jwtKey;
  }

  async register(dto: RegisterDto): Promise<SessionDto> {
    if (!this.config.registrationEnabled) {
      throw new DomainError(ErrorCode.RegistrationClosed, 'Registration is closed; ask an admin for an account');
    }
    const problem = passwordProblem(dto.password, [dto.email, dto.email.split('@')[0]]);
    if (problem) throw DomainError.validation('password', problem);
    // email_taken does tell a stranger that an address has an account; registration is limited
    // per client address (RATE_LIMIT_REGISTER_PER_IP_PER_HOUR) so it cannot be used to sweep a list.
    const user = await this.users.insertUser({
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      role: 'user',
      now: this.clock.now(),
    });
    if (!user) throw new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists');
    return this.session(user);
  }

  // Wrong passwords count against the account (known or not, so the answer tells nothing):
  // after RATE_LIMIT_LOGIN_FAILURES of them it is locked for a short while, right password or not.
  // A failure that starts a lockout is a security event in the audit trail.
  async login(dto: LoginDto, origin?: RequestOrigin): Promise<SessionDto> {
    await this.limits.assertLoginAllowed(dto.email);
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !ok) {
      if (await this.limits.loginFailed(dto.email)) await this.recordLockout(dto.email, user, origin);
      throw new DomainError(ErrorCode.InvalidCredentials, 'Wrong email or password');
    }
    await this.limits.loginSucceeded(dto.email);
    if (user.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
    await this.refreshHash(user, dto.password);
    return this.session(user);
  }

  // A hash made under older parameters is replaced while the password is at hand. Best effort:
  // the login stands if this fails, and the next one tries again.
  private async refreshHash(user: User, password: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) return;
    const fresh = await this.hasher.hash(password);
    await this.users.replacePasswordHash(user.id, user.passwordHash, fresh).catch(() => false);
  }

  private recordLockout(email: string, user: User | null, origin: RequestOrigin | undefined): Promise<void> {
    const r = this.config.rateLimits;
    return this.audit.recordAlone(anonymousActor(origin), {
      action: 'auth.lockout',
      // A lockout counts per address typed, account or not; the target says which it was.
      target: user ? { type: 'user', id: user.id } : { type: 'email', id: email },
      after: { email, failures: r.loginFailures, lockout_seconds: r.loginLockoutSeconds },
    });
  }

  // Called for every JWT-authenticated request: the token proves identity, the database
  // decides whether the account may still act (disabled accounts stop at once here, and within
  // AUTH_CACHE_TTL_MS on other replicas).
  // `sessionVersion` is the token's `sv` (0 for tokens minted before it existed): a password change
  // raises the user's, ending every older session.
  async userForSession(userId: number, sessionVersion = 0): Promise<AuthUser> {
    let user = this.cache.user(userId);
    if (!user) {
      const generation = this.cache.generation();
      const row = await this.users.findById(userId);
      if (!row) throw new DomainError(ErrorCode.Unauthenticated, 'This session is no longer valid');
      user = toCachedUser(row);
      this.cache.rememberUser(user, generation);
    }
    if (user.sessionVersion !== sessionVersion) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This session ended (the password changed); log in again');
    }
    if (user.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
    return { id: user.id, email: user.email, role: user.role, plan: user.plan, via: 'jwt' };
  }

  async session(user: User): Promise<SessionDto> {
    const now = this.clock.now();
    const token = await new SignJWT({ role: user.role, sv: user.sessionVersion })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(user.id))
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.jwtTtlSeconds)
      .sign(this.jwtKey);
    return { access_token: token, token_type: 'Bearer', expires_in: this.config.jwtTtlSeconds, user: mapUser(user) };
  }
}
