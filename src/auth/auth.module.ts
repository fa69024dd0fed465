import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from './api-token.entity';
import { PasswordLink } from './password-link.entity';
import { TokenSpend } from './token-spend.entity';
import { TokenSpendRepository } from './token-spend.repository';
import { User } from './user.entity';
import { AccountController, AdminAccountsController, PasswordLinksController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AdminBootstrapService, Terminal } from './admin-bootstrap.service';
import { ApiTokenRepository } from './api-token.repository';
import { ApiKeyAuthenticator } from '../common/auth/api-key-authenticator';
import { AuthCache } from './auth-cache';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { PasswordHasher } from './password-hasher.service';
import { PasswordLinkRepository } from './password-link.repository';
import { SecurityEvents } from './security-events.service';
import { AdminTokensController, TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { UserRepository } from './user.repository';
import { AdminUsersController, UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [PassportModule, AuditModule, TypeOrmModule.forFeature([User, ApiToken, PasswordLink, TokenSpend])],
  controllers: [
    AuthController,
    UsersController,
    AdminUsersController,
    TokensController,
    AdminTokensController,
    AdminAccountsController,
    PasswordLinksController,
    AccountController,
  ],
  providers: [
    TokenSpendRepository,
    AuthCache,
    AuthService,
    TokensService,
    UsersService,
    UserRepository,
    ApiTokenRepository,
    PasswordHasher,
    JwtStrategy,
    { provide: ApiKeyAuthenticator, useExisting: TokensService },
    AdminBootstrapService,
    AccountsService,
    PasswordLinkRepository,
    Terminal,
    SecurityEvents,
  ],
  exports: [UserRepository, TokensService, AuthCache, TokenSpendRepository, ApiKeyAuthenticator],
})
export class AuthModule {}
