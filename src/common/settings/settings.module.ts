import { Global, Module } from '@nestjs/common';
import { BatchSettingsService } from './batch-settings.service';
import { SettingsRepository } from './settings.repository';

// Admin-set runtime settings every module may read (the batch engine's, for now).
@Global()
@Module({
  providers: [SettingsRepository, BatchSettingsService],
  exports: [BatchSettingsService],
})
export class SettingsModule {}
