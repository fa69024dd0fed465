import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { BillingModule } from './billing/billing.module';
import { KlingModule } from './kling/kling.module';
import { PaymentsModule } from './payments/payments.module';
import { QuotasModule } from './quotas/quotas.module';
import { AuthenticationGuard } from './common/auth/authentication.guard';
import { CommonModule } from './common/common.module';
import { DatabaseModule } from './common/database/database.module';
import { SettingsModule } from './common/settings/settings.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { loggerOptions } from './common/logging/logger.options';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';

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
        SettingsModule,
        ScheduleModule.forRoot(),
        AuthModule,
        BillingModule,
        KlingModule,
        PaymentsModule,
        BatchModule,
        QuotasModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
      ],
    };
  }
}
