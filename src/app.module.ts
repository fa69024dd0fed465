import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { BillingModule } from './billing/billing.module';
import { CatalogModule } from './catalog/catalog.module';
import { MediaModule } from './media/media.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { PaymentsModule } from './payments/payments.module';
import { QuotasModule } from './quotas/quotas.module';
import { StatsModule } from './stats/stats.module';
import { AuthenticationGuard } from './common/auth/authentication.guard';
import { CommonModule } from './common/common.module';
import { DatabaseModule } from './common/database/database.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard';
import { loggerOptions } from './common/logging/logger.options';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { KlingCompatibleModule } from './relay/kling-compatible/kling-compatible.module';
import { KlingNativeModule } from './relay/kling-native/kling-native.module';
import { OpenAiModule } from './relay/openai/openai.module';
import { VeoModule } from './relay/veo/veo.module';
import { VideosModule } from './relay/videos/videos.module';

export interface AppModuleOptions {
  // Where log lines go (stdout when absent); tests capture them to check nothing secret leaks.
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, options.logDestination)),
        CommonModule,
        DatabaseModule,
        ScheduleModule.forRoot(),
        AuditModule,
        AuthModule,
        BillingModule,
        CatalogModule,
        KlingCompatibleModule,
        KlingNativeModule,
        OpenAiModule,
        VeoModule,
        VideosModule,
        MediaModule,
        WebhooksModule,
        PaymentsModule,
        BatchModule,
        QuotasModule,
        StatsModule,
        HealthModule,
        MetricsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // In this order: who is calling first, then the limits (per address, per API key).
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
