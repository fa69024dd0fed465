import { Module } from '@nestjs/common';
import { BillingModule } from '../../billing/billing.module';
import { MediaModule } from '../../media/media.module';
import { RelayCoreModule } from '../core/relay-core.module';
import { AdminVideosController, VideosController } from './videos.controller';
import { VideoTimelineService } from './video-timeline.service';
import { VideosService } from './videos.service';

// Every task of every surface, listed for its owner and for admins, and each one's timeline.
@Module({
  imports: [RelayCoreModule, MediaModule, BillingModule],
  controllers: [VideosController, AdminVideosController],
  providers: [VideosService, VideoTimelineService],
})
export class VideosModule {}
