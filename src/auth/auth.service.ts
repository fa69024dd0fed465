import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { AuthCache, toCachedUser } from './auth-cache';
import { LoginDto, RegisterDto, SessionDto } from './auth.dto';
import { PasswordHasher } from './password-hasher.service';
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
    const user = await this.users.insertUser({
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      role: 'user',
      now: this.clock.now(),
    });
    if (!user) throw new DomainError(ErrorCode.EmailTaken, 'An account with this email already exists');
    return this.session(user);
  }

  async login(dto: LoginDto): Promise<SessionDto> {
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !ok) throw new DomainError(ErrorCode.InvalidCredentials, 'Wrong email or password');
    if (user.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
    return this.session(user);
  }

  // Called for every JWT-authenticated request: the token proves identity, the database
  // decides whether the account may still act (disabled accounts stop at once here, and within
  // AUTH_CACHE_TTL_MS on other replicas).
  async userForSession(userId: number): Promise<AuthUser> {
    let user = this.cache.user(userId);
    if (!user) {
      const generation = this.cache.generation();
      const row = await this.users.findById(userId);
      if (!row) throw new DomainError(ErrorCode.Unauthenticated, 'This session is no longer valid');
      user = toCachedUser(row);
      this.cache.rememberUser(user, generation);
    }
    if (user.status !== 'active') throw new DomainError(ErrorCode.UserDisabled, 'This account is disabled');
    return { id: user.id, email: user.email, role: user.role, plan: user.plan, via: 'jwt' };
  }

  private async session(user: User): Promise<SessionDto> {
    const now = this.clock.now();
    const token = await new SignJWT({ role: user.role })
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
