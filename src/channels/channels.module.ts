import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { ProvidersModule } from '../providers/providers.module';
import { Channel } from './channel.entity';
import { ChannelRecheckJob } from './channel-recheck.job';
import { ChannelRecheckService } from './channel-recheck.service';
import { ChannelRepository } from './channel.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [ProvidersModule, BillingModule, AuditModule, TypeOrmModule.forFeature([Channel])],
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelRepository, ChannelRecheckService, ChannelRecheckJob],
  exports: [ChannelsService],
})
export class ChannelsModule {}
