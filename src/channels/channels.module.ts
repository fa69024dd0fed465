import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { ChannelRepository } from './channel.repository';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [ProvidersModule],
  controllers: [ChannelsController],
  providers: [ChannelsService, ChannelRepository],
  exports: [ChannelsService, ProvidersModule],
})
export class ChannelsModule {}
