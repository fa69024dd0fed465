import { Global, Module } from '@nestjs/common';
import { Clock } from './clock/clock.service';
import { CryptoService } from './crypto/crypto.service';
import { TaskEvents } from './events/task-events';

// I/O edges every module uses; each is a class so tests replace exactly that edge.
@Global()
@Module({
  providers: [Clock, CryptoService, TaskEvents],
  exports: [Clock, CryptoService, TaskEvents],
})
export class CommonModule {}
