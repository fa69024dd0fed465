import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { IdempotencyCleanupJob } from './idempotency-cleanup.job';
import { IdempotencyKey } from './idempotency-key.entity';
import { IdempotencyInterceptor, RequestWithKey } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';
import { Idempotency } from './idempotency.service';

// Settles a held key with exactly what the client is sent, error shapes of every surface
// included: stored when it is final (a success, or any answer once something was created),
// freed when the request failed before creating anything, and handed to a retry at once after
// an internal error that left something created behind.
@Injectable()
export class IdempotencySettlement implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: IdempotencyRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(IdempotencySettlement.name);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // no HTTP server (a tool or a service-level test)
    fastify.addHook('onSend', async (req, reply, payload) => {
      await this.settle(req as RequestWithKey, reply, payload);
      return payload;
    });
  }

  private async settle(req: RequestWithKey, reply: FastifyReply, payload: unknown): Promise<void> {
    const held = req.idempotencyKey;
    if (!held || held.settled) return;
    held.settled = true;
    if (held.renew) clearInterval(held.renew);
    const status = reply.statusCode;
    try {
      if (status < 400 || (held.recorded && status < 500)) {
        await this.keys.complete(held.id, held.token, status, typeof payload === 'string' ? payload : 'null');
      } else if (held.recorded) await this.keys.release(held.id, held.token);
      else await this.keys.abandon(held.id, held.token);
    } catch (err) {
      // The answer still goes out; the key's lease lapses and a retry resumes it.
      this.logger.warn({ err, request_id: req.id }, 'could not settle an Idempotency-Key');
    }
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKey])],
  providers: [IdempotencyRepository, Idempotency, IdempotencyInterceptor, IdempotencySettlement, IdempotencyCleanupJob],
  exports: [IdempotencyRepository, Idempotency, IdempotencyInterceptor],
})
export class IdempotencyModule {}
