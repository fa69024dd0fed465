import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Setting } from './setting.entity';
import { SettingsRepository } from './settings.repository';

// Admin-set runtime settings: versioned JSON documents by key. The modules they belong to read
// and validate them (the batch engine's in batch/).
@Module({
  imports: [TypeOrmModule.forFeature([Setting])],
  providers: [SettingsRepository],
  exports: [SettingsRepository],
})
export class SettingsModule {}
