import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

// The admin monitoring figures. Read-only: it reads the relay core's `videos` and the payments'
// orders through its own indexed queries, channels and users for their names, and the audit
// trail for channels' auto-disable history.
@Module({
  imports: [AuditModule, AuthModule, ChannelsModule],
  controllers: [StatsController],
  providers: [StatsService, StatsRepository],
})
export class StatsModule {}
