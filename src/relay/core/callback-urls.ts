import { Injectable } from '@nestjs/common';
import type { ChannelType } from '../../providers/channel-types';
import { CryptoService } from '../../common/crypto/crypto.service';
import { AppConfig } from '../../config/app-config';

// The one place that builds the callback URL Reelay gives an upstream and checks the token on
// the way back: an HMAC of the task id, so only the upstream that got the URL can call back.
@Injectable()
export class CallbackUrls {
  constructor(
    private readonly crypto: CryptoService,
    private readonly config: AppConfig,
  ) {}

  urlFor(provider: ChannelType, taskId: string): string {
    return `${this.config.serverAddress}/${provider}/callback/${encodeURIComponent(taskId)}?token=${this.token(provider, taskId)}`;
  }

  verify(provider: ChannelType, taskId: string, token: string | undefined): boolean {
    return typeof token === 'string' && this.crypto.safeEqual(token, this.token(provider, taskId));
  }

  private token(provider: ChannelType, taskId: string): string {
    return this.crypto.hmac(`${provider}-callback`, taskId);
  }
}
