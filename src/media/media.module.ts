import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module';
import { RelayCoreModule } from '../relay/core/relay-core.module';
import { MediaTaskEndListener } from './media-task-end.listener';
import { AppConfig } from '../config/app-config';
import { LocalMediaStorage } from './local-media.storage';
import { MediaCopiesJob } from './media-copies.job';
import { MediaCopy } from './media-copy.entity';
import { MediaCopies } from './media-copies.service';
import { MediaCopyRepository } from './media-copy.repository';
import { MediaFetcher } from './media-fetcher';
import { MediaLinks } from './media-links';
import { MediaStorage } from './media-storage';
import { MediaLinkController, ReferenceLinkController, VideoContentController } from './media.controller';
import { MediaService } from './media.service';
import { S3MediaStorage } from './s3-media.storage';
import { ReferenceImages } from './reference-images.service';

export function createMediaStorage(config: AppConfig): MediaStorage {
  const m = config.media;
  return m.storage === 's3' && m.s3 ? new S3MediaStorage(m.s3) : new LocalMediaStorage(m.dir);
}

// Stored copies of finished videos: media → relay core (a TaskEndListener writes the copy job in
// every task's terminal transaction). Task views call MediaService.storeFieldsFor, the owner's
// delete MediaService.deleteForTask.
@Module({
  imports: [RelayCoreModule, MetricsModule, TypeOrmModule.forFeature([MediaCopy])],
  controllers: [VideoContentController, MediaLinkController, ReferenceLinkController],
  providers: [
    MediaTaskEndListener,
    { provide: MediaStorage, inject: [AppConfig], useFactory: createMediaStorage },
    MediaCopyRepository,
    MediaFetcher,
    MediaLinks,
    MediaCopies,
    MediaService,
    MediaCopiesJob,
    ReferenceImages,
  ],
  exports: [MediaCopies, MediaService, MediaStorage, ReferenceImages],
})
export class MediaModule {}
