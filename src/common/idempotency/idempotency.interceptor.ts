import { createHash } from 'node:crypto';
import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { AuthUser } from '../auth/auth-user';
import { Clock } from '../clock/clock.service';
import { CryptoService } from '../crypto/crypto.service';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { IdempotencyRepository } from './idempotency.repository';
import { HeldKey, Idempotency } from './idempotency.service';

const TTL_SECONDS = 24 * 3600;
const KEY_FORMAT = /^[\x21-\x7e]{1,128}$/;
const REPLAY = 'reelay:idempotent-replay';

export type RequestWithKey = FastifyRequest & { user: AuthUser; idempotencyKey?: HeldKey };

// Marks a route that creates something costing money: `Idempotency-Key` makes a retry safe.
// `replay` names the renderer (Idempotency.register) that answers for what a dead request made.
export function Idempotent(replay: string) {
  return applyDecorators(
    SetMetadata(REPLAY, replay),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a ' +
        'live request holds the key; 422 for the same key with another body',
    }),
  );
}

// `Idempotency-Key` (Stripe's rules): the same key and body within 24 h answer the first
// response again; another body is a 422; a retry while a live request holds the key is a 409.
// The key is held under a lease the request renews, so a key whose request died with its
// process comes back: a retry resumes it and answers for whatever that request created.
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly idempotency: Idempotency,
    private readonly reflector: Reflector,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<RequestWithKey>();
    const key = req.headers['idempotency-key'];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw DomainError.validation('Idempotency-Key', 'must be 1-128 printable characters');
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const replay = this.reflector.get<string>(REPLAY, ctx.getHandler());
    return from(this.handle(req, reply, key, replay, next));
  }

  private async handle(
    req: RequestWithKey,
    reply: FastifyReply,
    key: string,
    replay: string,
    next: CallHandler,
  ): Promise<unknown> {
    const scope = `${req.method} ${req.routeOptions.url ?? req.url}`;
    const token = this.crypto.randomString(24);
    const leaseMs = this.config.idempotencyLeaseSeconds * 1000;
    const claim = await this.keys.claim({
      userId: req.user.id,
      key,
      scope,
      requestHash: this.crypto.sha256(`${scope}\n${stableJson(req.body)}`),
      token,
      nowMs: this.clock.nowMs(),
      leaseMs,
      ttlSeconds: TTL_SECONDS,
    });
    switch (claim.kind) {
      case 'mismatch':
        throw new DomainError(ErrorCode.IdempotencyMismatch, 'This Idempotency-Key was used with a different request');
      case 'busy':
        throw new DomainError(
          ErrorCode.IdempotencyInFlight,
          'A request with this Idempotency-Key is still being processed',
        );
      case 'done':
        void reply.status(claim.status).header('idempotent-replayed', 'true');
        return JSON.parse(claim.body || 'null') as unknown;
    }
    const held: HeldKey = { id: claim.id, token, userId: req.user.id, recorded: null, settled: false, renew: null };
    if (claim.kind === 'resumed' && claim.resource) {
      // The first request created this and died before answering: answer for it now.
      const answer = await this.idempotency.replay(replay)(req.user.id, claim.resource);
      held.settled = true;
      await this.keys.complete(held.id, token, answer.status, JSON.stringify(answer.body));
      void reply.status(answer.status).header('idempotent-replayed', 'true');
      return answer.body;
    }
    // Settled when the answer is sent (IdempotencyModule's onSend hook), whatever its status.
    req.idempotencyKey = held;
    held.renew = setInterval(() => {
      void this.keys.renew(held.id, token, this.clock.nowMs() + leaseMs).catch(() => undefined);
    }, leaseMs / 3);
    held.renew.unref();
    return this.idempotency.run(held, () => lastValueFrom(next.handle()));
  }
}

// JSON with object keys sorted, so the same body hashes the same whatever its key order. An
// uploaded file (a multipart Buffer) stands as its SHA-256: walked as an object, 1 MB took seconds.
export function stableJson(v: unknown): string {
  if (v instanceof Uint8Array) return `{"$sha256":"${createHash('sha256').update(v).digest('hex')}"}`;
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
