import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../audit/audit.service';
import { quotaToCredits } from '../common/money/money';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { UpstreamHttp } from '../providers/upstream-http';
import { Alert, AlertKind } from './alert.entity';
import { AlertRepository } from './alert.repository';
import { AlertDto, AlertRunDto } from './alerts.dto';
import { ProviderQuotaRepository } from './provider-quota.repository';

const PROVIDER = 'viva';
const MAX_ATTEMPTS = 5;
const RETRY_BASE_MS = 2_000;

interface Condition {
  key: string;
  kind: AlertKind;
  active: boolean;
  subject: string;
  message: string;
  details: Record<string, unknown>;
}

// Seed 003's watch on VivaAPI quota: a user past 80 % of their quota, all users together past
// 80 % of the master quota, and a master quota running low. Each crossing raises one alert
// (stored, then delivered to ALERT_WEBHOOK_URL with an HMAC signature and retries); going back
// below re-arms it.
@Injectable()
export class AlertsService {
  constructor(
    private readonly quotas: ProviderQuotaRepository,
    private readonly alerts: AlertRepository,
    private readonly http: UpstreamHttp,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly audit: AuditService,
  ) {
    this.logger.setContext(AlertsService.name);
  }

  async run(): Promise<AlertRunDto> {
    const raised: Alert[] = [];
    for (const c of await this.conditions()) {
      const alert = await this.alerts.crossing(
        c.key,
        c.active,
        { kind: c.kind, subject: c.subject, message: c.message, details: c.details },
        this.clock.now(),
        this.clock.nowMs(),
      );
      if (alert) raised.push(alert);
    }
    const delivered = await this.deliverDue();
    if (raised.length > 0) this.logger.warn({ raised: raised.map((a) => a.message) }, 'quota alerts raised');
    return { raised: raised.map(toDto), delivered };
  }

  // An admin's run: the same check as the daily job, recorded in the audit trail with what it
  // raised. Not one transaction with its changes: each alert is claimed on its own and delivery
  // goes out over HTTP, so the row is written once the run is done.
  async runNow(admin: AuthUser): Promise<AlertRunDto> {
    const result = await this.run();
    await this.audit.recordAlone(admin, {
      action: 'alerts.run',
      target: { type: 'alerts', id: null },
      after: {
        raised: result.raised.map((a) => ({ id: a.id, kind: a.kind, subject: a.subject })),
        delivered: result.delivered,
      },
    });
    return result;
  }

  async list(_admin: AuthUser, query: PageQueryDto): Promise<Page<AlertDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.alerts.listAlerts(page);
    return pageOf(rows, total, page, toDto);
  }

  // Sends undelivered alerts whose retry time has come; returns how many were delivered.
  async deliverDue(): Promise<number> {
    const url = this.config.alertWebhookUrl;
    if (!url) return 0;
    let delivered = 0;
    for (const alert of await this.alerts.dueForDelivery(this.clock.nowMs(), 100)) {
      const body = JSON.stringify({
        id: alert.id,
        kind: alert.kind,
        subject: alert.subject,
        message: alert.message,
        details: alert.details ? (JSON.parse(alert.details) as unknown) : null,
        created_at: alert.createdAt,
      });
      const timestamp = String(this.clock.now());
      try {
        const res = await this.http.send({
          method: 'POST',
          url,
          headers: {
            'x-reelay-timestamp': timestamp,
            'x-reelay-signature': `sha256=${this.sign(`${timestamp}.${body}`)}`,
          },
          json: JSON.parse(body) as unknown,
          timeoutMs: 10_000,
        });
        if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered ${res.status}`);
        await this.alerts.markDelivered(alert.id, this.clock.now());
        delivered++;
      } catch (err) {
        const attempts = alert.attempts + 1;
        const next = attempts >= MAX_ATTEMPTS ? null : this.clock.nowMs() + RETRY_BASE_MS * 2 ** (attempts - 1);
        await this.alerts.markFailedAttempt(alert.id, attempts, next, (err as Error).message);
      }
    }
    return delivered;
  }

  private sign(payload: string): string {
    const key = this.config.alertWebhookSecret || this.crypto.deriveKey('alert-webhook').toString('hex');
    return createHmac('sha256', key).update(payload).digest('hex');
  }

  private async conditions(): Promise<Condition[]> {
    const credits = (q: number) => quotaToCredits(q, this.config.quotaPerCredit);
    const high = await this.quotas.usersPastFourFifths(PROVIDER);
    const highIds = new Set(high.map((q) => q.userId));
    const out: Condition[] = high.map((q) => ({
      key: `user_quota_high:${PROVIDER}:${q.userId}`,
      kind: 'user_quota_high',
      active: true,
      subject: `user:${q.userId}`,
      message: `User ${q.userId} has used ${credits(q.used)} of ${credits(q.quota)} VivaAPI credits (over 80 %)`,
      details: { user_id: q.userId, quota: credits(q.quota), used: credits(q.used) },
    }));
    // Users that were high before and are not now re-arm their alert.
    for (const key of await this.alerts.activeKeys(`user_quota_high:${PROVIDER}:`)) {
      const userId = Number(key.split(':')[2]);
      if (!highIds.has(userId))
        out.push({ key, kind: 'user_quota_high', active: false, subject: `user:${userId}`, message: '', details: {} });
    }
    const totals = await this.quotas.totals(PROVIDER);
    const master =
      this.config.vivaMasterQuotaCredits !== null
        ? this.config.vivaMasterQuotaCredits * this.config.quotaPerCredit
        : totals.quota;
    const remaining = master - totals.used;
    out.push({
      key: `total_quota_high:${PROVIDER}`,
      kind: 'total_quota_high',
      active: master > 0 && totals.used * 5 > master * 4,
      subject: 'master',
      message: `All users together have used ${credits(totals.used)} of ${credits(master)} VivaAPI credits (over 80 %)`,
      details: { master_quota: credits(master), used: credits(totals.used) },
    });
    out.push({
      key: `master_refill_needed:${PROVIDER}`,
      kind: 'master_refill_needed',
      active: master > 0 && remaining < this.config.alertRefillThresholdCredits * this.config.quotaPerCredit,
      subject: 'master',
      message: `Refill needed: ${credits(remaining)} VivaAPI credits left (threshold ${this.config.alertRefillThresholdCredits})`,
      details: { remaining: credits(remaining), threshold: this.config.alertRefillThresholdCredits },
    });
    return out;
  }
}

function toDto(a: Alert): AlertDto {
  return {
    id: a.id,
    kind: a.kind,
    subject: a.subject,
    message: a.message,
    details: a.details ? (JSON.parse(a.details) as Record<string, unknown>) : null,
    created_at: a.createdAt,
    delivered_at: a.deliveredAt,
    attempts: a.attempts,
  };
}
