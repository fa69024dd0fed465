import { Module } from '@nestjs/common';
import { KieClient } from './kie/kie.client';
import { KlingTokenService } from './kling/kling-token.service';
import { KlingClient } from './kling/kling.client';
import { ProviderRegistry } from './provider-registry';
import { UpstreamHttp } from './upstream-http';
import { VivaClient } from './viva/viva.client';
import { AlipayGateway } from './alipay/alipay.gateway';
import { MetricsModule } from '../metrics/metrics.module';

@Module({
  imports: [MetricsModule],
  providers: [UpstreamHttp, KlingTokenService, KlingClient, VivaClient, KieClient, ProviderRegistry, AlipayGateway],
  exports: [ProviderRegistry, AlipayGateway, UpstreamHttp],
})
export class ProvidersModule {}
