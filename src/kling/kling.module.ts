import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor';
import { TasksModule } from '../tasks/tasks.module';
import { KlingController } from './kling.controller';
import { KlingRelayService } from './kling-relay.service';
import { KieCallbackController } from './kie-callback.controller';
import { KieCallbackService } from './kie-callback.service';
import { KlingTasksService } from './kling-tasks.service';
import { VeoController } from './veo.controller';
import { VeoRelayService } from './veo-relay.service';

@Module({
  imports: [TasksModule],
  controllers: [KlingController, VeoController, KieCallbackController],
  providers: [KlingRelayService, KlingTasksService, VeoRelayService, KieCallbackService, IdempotencyInterceptor],
  exports: [TasksModule],
})
export class KlingModule {}
