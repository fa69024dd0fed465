import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from '../auth/auth-user';
import { requestOrigin } from '../auth/request-origin';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { IpLimit, RateLimitService } from './rate-limit.service';

const RATE_LIMIT_METADATA = 'reelay:rate-limit';

// A per-client-address limit on a route (login, registration). The address is Fastify's
// request.ip, which follows X-Forwarded-For only when TRUST_PROXY is on.
export const RateLimited = (limit: IpLimit) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_METADATA, limit),
    ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After', type: ErrorBodyDto }),
  );

// Runs after AuthenticationGuard: per-address limits where a route asks for one, and every
// request made with an API key counts against that key's per-minute limit (by plan).
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const limit = this.reflector.getAllAndOverride<IpLimit | undefined>(RATE_LIMIT_METADATA, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (limit) await this.limits.hitIp(limit, requestOrigin(req));
    if (req.user?.via === 'api_token' && req.user.tokenId !== undefined) {
      await this.limits.hitApiKey(req.user.plan, req.user.tokenId);
    }
    return true;
  }
}
