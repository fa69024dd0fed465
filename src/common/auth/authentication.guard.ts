import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AUTH_METADATA, AuthOptions } from './auth.decorators';
import { AuthUser } from './auth-user';
import { requestOrigin } from './request-origin';
import { bearerToken } from './bearer';

const ADMIN_PATH = /^\/api\/admin(\/|$|\?)/;

// The one global guard. Every route is authenticated unless marked @Public(); `sk-` keys
// only where a route accepts API tokens; /api/admin/** is admin-only by path, so an admin
// controller that forgets its decorator is still closed.
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly jwt = new (AuthGuard('jwt'))();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const opts =
      this.reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_METADATA, [ctx.getHandler(), ctx.getClass()]) ??
      {};
    if (opts.public) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const token = bearerToken(req.headers);
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'Send Authorization: Bearer <token>');
    const isApiKey = token.startsWith('sk-');
    if (isApiKey && !opts.apiTokens) {
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'API keys are not accepted here; log in and use the session token',
      );
    }
    if (isApiKey) req.user = await this.apiKeys.authenticate(token);
    else await this.jwt.canActivate(ctx);
    if (req.user?.tokenScope === 'video' && !opts.video) {
      throw new DomainError(ErrorCode.Forbidden, 'This API key may only generate and read videos');
    }
    const adminOnly = opts.admin || ADMIN_PATH.test(req.url);
    if (adminOnly && req.user?.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Admin role required');
    if (req.user) req.user = { ...req.user, origin: requestOrigin(req) };
    return true;
  }
}
