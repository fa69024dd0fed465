import { Injectable } from '@nestjs/common';
import type { ChannelType } from '../providers/channel-types';
import { KieClient } from './kie/kie.client';
import { KlingClient } from './kling/kling.client';
import { VideoProvider } from './video-provider';
import { VivaClient } from './viva/viva.client';

@Injectable()
export class ProviderRegistry {
  private readonly byType: Map<ChannelType, VideoProvider>;

  constructor(kling: KlingClient, viva: VivaClient, kie: KieClient) {
    this.byType = new Map<ChannelType, VideoProvider>([
      [kling.type, kling],
      [viva.type, viva],
      [kie.type, kie],
    ]);
  }

  get(type: ChannelType): VideoProvider {
    const p = this.byType.get(type);
    if (!p) throw new Error(`No provider client for channel type ${type}`);
    return p;
  }
}
