import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthUser } from '../common/auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuthService, JWT_AUDIENCE, JWT_ISSUER } from './auth.service';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly auth: AuthService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: auth.jwtVerificationKey,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
  }

  // Reelay's sessions always expire and name a user id; a token without `exp` (which passport-jwt
  // would accept) or with any other subject is not one of ours. `sv` is the session version a
  // password change bumps (other sessions end).
  validate(payload: { sub?: unknown; exp?: unknown; sv?: unknown }): Promise<AuthUser> {
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This token has no expiry; log in again');
    }
    if (typeof payload.sub !== 'string' || !/^[1-9]\d{0,15}$/.test(payload.sub)) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This token does not name a user; log in again');
    }
    return this.auth.userForSession(Number(payload.sub), typeof payload.sv === 'number' ? payload.sv : 0);
  }
}
