import { Injectable } from '@nestjs/common';
import { bearerToken } from '../common/auth/bearer';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { Metrics } from './metrics.service';

// Who may scrape, and where: with METRICS_PORT the metrics live on that port only; on the main
// port they are served only behind METRICS_TOKEN, so a public listener never shows them by
// accident. A token, when set, is required on either port.
@Injectable()
export class MetricsAccess {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
    private readonly crypto: CryptoService,
  ) {}

  // GET /metrics on the main port.
  scrapeMainPort(authorization: string | undefined): Promise<string> {
    if (this.config.metricsPort !== null || this.config.metricsToken === null) {
      throw new DomainError(ErrorCode.RouteNotFound, 'Route GET /metrics not found');
    }
    return this.scrape(authorization);
  }

  // GET /metrics on either port, once the listener is the right one.
  scrape(authorization: string | undefined): Promise<string> {
    const expected = this.config.metricsToken;
    if (expected !== null) {
      const given = bearerToken({ authorization });
      if (!given || !this.crypto.safeEqual(this.crypto.sha256(given), this.crypto.sha256(expected))) {
        throw new DomainError(ErrorCode.Unauthenticated, 'Send Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    return this.metrics.render();
  }
}
