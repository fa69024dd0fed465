import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Dispatcher, request } from 'undici';
import { OutboundGuard } from '../common/outbound/outbound-guard.service';
import { AppConfig } from '../config/app-config';

export interface SendResult {
  status: number | null; // null: no HTTP answer
  error: string | null;
}

// The HTTP edge of deliveries: one POST through the outbound guard's dispatcher (a receiver on
// a private address is refused at connect time unless allow-listed), WEBHOOK_TIMEOUT_MS for the
// whole exchange, redirects not followed (a 3xx is a failed attempt), answer body discarded.
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Dispatcher;

  constructor(
    guard: OutboundGuard,
    private readonly config: AppConfig,
  ) {
    this.agent = guard.dispatcher({ connections: 64, keepAliveTimeout: 4_000 }, 5_000);
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const timeout = this.config.webhooks.timeoutMs;
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'Reelay-Webhooks/1', ...headers },
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return { status: res.statusCode, error: ok ? null : `HTTP ${res.statusCode}` };
    } catch (err) {
      return { status: null, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}
