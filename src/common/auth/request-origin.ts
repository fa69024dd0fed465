import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestOrigin } from './auth-user';

export function requestOrigin(req: FastifyRequest): RequestOrigin {
  return { ip: req.ip, requestId: String(req.id) };
}

// The client address and request id, for routes without a logged-in caller (login) whose
// services still record where an attempt came from.
export const Origin = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestOrigin =>
  requestOrigin(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
