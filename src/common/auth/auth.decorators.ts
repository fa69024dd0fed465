import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { AuthUser } from './auth-user';

export const AUTH_METADATA = 'reelay:auth';

export interface AuthOptions {
  public?: boolean;
  admin?: boolean;
  apiTokens?: boolean;
  // A video generation route: keys scoped to 'video' may call it too.
  video?: boolean;
}

// Reachable without credentials.
export const Public = () => SetMetadata(AUTH_METADATA, { public: true } satisfies AuthOptions);

// A logged-in user (JWT); `apiTokens` also accepts `Bearer sk-…` keys, `admin` requires the
// admin role. Routes under /api/admin are admin-only whatever their decorators say.
export function Auth(opts: Omit<AuthOptions, 'public'> = {}) {
  const decorators = [
    SetMetadata(AUTH_METADATA, opts),
    ApiBearerAuth('jwt'),
    ApiUnauthorizedResponse({ description: 'Missing, invalid or expired credentials', type: ErrorBodyDto }),
  ];
  if (opts.apiTokens) decorators.push(ApiBearerAuth('api-token'));
  if (opts.admin) decorators.push(ApiForbiddenResponse({ description: 'Admin role required', type: ErrorBodyDto }));
  return applyDecorators(...decorators);
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>().user;
});
