import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AdminBootstrapService, Terminal } from './admin-bootstrap.service';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokenStrategy } from './api-token.strategy';
import { AuthCache } from './auth-cache';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { PasswordHasher } from './password-hasher.service';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { UserRepository } from './user.repository';
import { AdminUsersController, UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [PassportModule],
  controllers: [AuthController, UsersController, AdminUsersController, TokensController],
  providers: [
    AuthCache,
    AuthService,
    TokensService,
    UsersService,
    UserRepository,
    ApiTokenRepository,
    PasswordHasher,
    JwtStrategy,
    ApiTokenStrategy,
    AdminBootstrapService,
    Terminal,
  ],
  exports: [UserRepository, TokensService, AuthCache],
})
export class AuthModule {}
