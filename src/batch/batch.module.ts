import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { KlingModule } from '../kling/kling.module';
import { BatchAdminController } from './batch-admin.controller';
import { BatchController } from './batch.controller';
import { BatchEngineJob } from './batch-engine.job';
import { BatchEngineService } from './batch-engine.service';
import { BatchRepository } from './batch.repository';
import { BatchService } from './batch.service';

// batch → relay (tasks, channels) → billing.
@Module({
  imports: [AuthModule, KlingModule],
  controllers: [BatchController, BatchAdminController],
  providers: [BatchService, BatchEngineService, BatchEngineJob, BatchRepository],
})
export class BatchModule {}
