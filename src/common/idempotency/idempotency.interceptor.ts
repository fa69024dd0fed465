import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../clock/clock.service';
import { CryptoService } from '../crypto/crypto.service';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { IdempotencyRepository } from './idempotency.repository';

const TTL_SECONDS = 24 * 3600;
const KEY_FORMAT = /^[\x21-\x7e]{1,128}$/;

// `Idempotency-Key` on a submit: the same key and body within 24 h answers the first response
// again (no second task, no second hold); the same key with another body is a 422; a repeat
// while the first is still running is a 409.
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw DomainError.validation('Idempotency-Key', 'must be 1-128 printable characters');
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return from(this.handle(req, reply, key, next));
  }

  private async handle(
    req: FastifyRequest & { user: AuthUser },
    reply: FastifyReply,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    const scope = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const requestHash = this.crypto.sha256(`${scope}\n${stableJson(req.body)}`);
    const claim = await this.keys.claim({
      userId: req.user.id,
      key,
      scope,
      requestHash,
      now: this.clock.now(),
      ttlSeconds: TTL_SECONDS,
    });
    if (!claim.claimed) {
      const e = claim.existing;
      if (e.requestHash !== requestHash) {
        throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request');
      }
      if (e.state !== 'done') {
        throw new DomainError(
          ErrorCode.IdempotencyInFlight,
          'A request with this Idempotency-Key is still being processed',
        );
      }
      void reply.status(e.responseStatus ?? 200).header('idempotent-replayed', 'true');
      return lastValueFrom(of(JSON.parse(e.responseBody ?? 'null') as unknown));
    }
    try {
      const result: unknown = await lastValueFrom(next.handle());
      await this.keys.complete(req.user.id, key, reply.statusCode, JSON.stringify(result ?? null));
      return result;
    } catch (err) {
      await this.keys.abandon(req.user.id, key);
      throw err;
    }
  }
}

// JSON with object keys sorted, so the same body hashes the same whatever its key order.
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
