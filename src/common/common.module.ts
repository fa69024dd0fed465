import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock.service';
import { CryptoService } from './crypto/crypto.service';
import { ErrorShapes } from './errors/error-shapes';
import { Jobs } from './jobs/jobs.service';
import { ShutdownSignal } from './lifecycle/shutdown-signal';
import { HostResolver, OutboundGuard } from './outbound/outbound-guard.service';
import { RateLimitService } from './rate-limit/rate-limit.service';

// I/O edges every module uses; each is a class so tests replace exactly that edge.
@Global()
@Module({
  providers: [Clock, CryptoService, Jobs, ErrorShapes, HostResolver, OutboundGuard, RateLimitService, ShutdownSignal],
  exports: [Clock, CryptoService, Jobs, ErrorShapes, HostResolver, OutboundGuard, RateLimitService, ShutdownSignal],
})
export class CommonModule {}
