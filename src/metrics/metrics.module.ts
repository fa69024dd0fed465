import { Module } from '@nestjs/common';
import { HttpMetricsHook } from './http-metrics.hook';
import { MetricsAccess } from './metrics-access.service';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server.service';
import { Metrics } from './metrics.service';

// Prometheus metrics. Modules that report import this module and inject `Metrics`.
@Module({
  controllers: [MetricsController],
  providers: [Metrics, MetricsAccess, MetricsServer, HttpMetricsHook],
  exports: [Metrics],
})
export class MetricsModule {}
