import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs } from '../common/jobs/jobs.service';
import { AppConfig } from '../config/app-config';
import { ChannelRecheckService } from './channel-recheck.service';

// Ticks more often than the interval (at most every 30 s) so a channel's check happens close to
// when it falls due, whichever replica's tick comes first.
const MAX_TICK_MS = 30_000;

@Injectable()
export class ChannelRecheckJob implements OnApplicationBootstrap {
  constructor(
    private readonly recheck: ChannelRecheckService,
    private readonly jobs: Jobs,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.channelRecheckIntervalSeconds * 1000;
    if (intervalMs === 0) return;
    this.jobs.every('channel-recheck', Math.min(intervalMs, MAX_TICK_MS), () => this.recheck.recheckDue());
  }
}
