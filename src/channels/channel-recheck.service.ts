import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Clock } from '../common/clock/clock.service';
import { AppConfig } from '../config/app-config';
import { ChannelRepository } from './channel.repository';
import { ChannelsService } from './channels.service';

// Channels claimed per round; a round repeats until none is due.
const BATCH = 20;

export interface RecheckRound {
  checked: number;
  reenabled: number;
}

// Seed 001's "update the key" loop, done by Reelay: an auto-disabled channel whose admin lets it
// come back is asked the provider's account call every CHANNEL_RECHECK_INTERVAL_SECONDS, and
// re-enabled (audited) when its key is accepted again. Each check is claimed under the channel's
// next-check time, so replicas split the channels and none is checked twice in one interval.
@Injectable()
export class ChannelRecheckService {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly service: ChannelsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ChannelRecheckService.name);
  }

  async recheckDue(): Promise<RecheckRound> {
    const round: RecheckRound = { checked: 0, reenabled: 0 };
    for (;;) {
      const nowMs = this.clock.nowMs();
      const next = nowMs + this.config.channelRecheckIntervalSeconds * 1000;
      const due = await this.channels.claimDueRechecks(nowMs, next, BATCH);
      for (const channel of due) {
        round.checked++;
        try {
          const check = await this.service.checkAccount(channel);
          if (check.ok && (await this.service.autoReenable(channel, check.message))) round.reenabled++;
        } catch (err) {
          // One channel's failure (its base URL refused, say) never stops the others.
          this.logger.warn({ channel_id: channel.id, err: (err as Error).message }, 'channel re-check failed');
        }
      }
      if (due.length < BATCH) break;
    }
    if (round.checked > 0) this.logger.info(round, 'channel re-check round done');
    return round;
  }
}
