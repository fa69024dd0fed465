import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { MetricsAccess } from './metrics-access.service';
import { PROMETHEUS_CONTENT_TYPE } from './metrics.service';

// Prometheus scrapes here (an operator endpoint, not part of the public API document).
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly access: MetricsAccess) {}

  @Get()
  @Public()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const text = await this.access.scrapeMainPort(authorization);
    // Set only on success (a decorator's header would also label the JSON error body).
    void reply.header('content-type', PROMETHEUS_CONTENT_TYPE).header('cache-control', 'no-store');
    return text;
  }
}
