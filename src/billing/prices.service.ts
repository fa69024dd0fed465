import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth/auth-user';
import { Db } from '../common/database/db.service';
import { Clock } from '../common/clock/clock.service';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto, toPageRequest } from '../common/pagination/page.dto';
import { AppConfig } from '../config/app-config';
import { PriceDto, PriceViewDto, ReplacePricesDto } from './billing.dto';
import { creditsToQuota, quotaToCredits } from '../common/money/money';
import { PriceRepository, PriceRow } from './price.repository';
import {
  FixedRule,
  FormulaRule,
  MULTIPLIER_SCALE,
  PriceRule,
  quote,
  QuoteRequest,
  SEED_ASPECT_MULTIPLIERS,
  SEED_KIND_MULTIPLIERS,
} from './pricing';

// Other replicas' price edits show up within this long.
const CACHE_TTL_MS = 30_000;

export interface Quote {
  model: string;
  quota: number;
  duration: number | null;
  aspectRatio: string | null;
  resolution: string | null;
}

@Injectable()
export class PricesService {
  private cache: { at: number; byModel: Map<string, PriceRow> } | null = null;

  constructor(
    private readonly prices: PriceRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {}

  // The price of one video in quota units; a model or option without a price is a 422
  // naming the field, before anything is sent upstream.
  async quote(model: string, req: QuoteRequest): Promise<Quote> {
    const row = (await this.table()).get(model);
    if (!row) {
      throw new DomainError(ErrorCode.ModelNotPriced, `Model ${model} has no price and cannot be used`, [
        { field: 'model', message: 'has no price' },
      ]);
    }
    const r = quote(row.rule, req);
    if (!r.ok) {
      throw new DomainError(ErrorCode.ModelNotPriced, `${r.field}: ${r.message}`, [
        { field: r.field, message: r.message },
      ]);
    }
    return { model, quota: r.quota, duration: r.duration, aspectRatio: r.aspectRatio, resolution: r.resolution };
  }

  async hasPrice(model: string): Promise<boolean> {
    return (await this.table()).has(model);
  }

  async list(_admin: AuthUser, query: PageQueryDto): Promise<Page<PriceViewDto>> {
    const page = toPageRequest(query);
    const all = [...(await this.table(true)).values()];
    const items = all.slice((page.page - 1) * page.pageSize, page.page * page.pageSize).map((r) => this.toView(r));
    return { items, page: page.page, page_size: page.pageSize, total: all.length };
  }

  async replace(admin: AuthUser, dto: ReplacePricesDto): Promise<Page<PriceViewDto>> {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const rows = dto.items.map((item, i) => {
      if (seen.has(item.model)) errors.push({ field: `items[${i}].model`, message: `${item.model} is listed twice` });
      seen.add(item.model);
      return { model: item.model, rule: this.toRule(item, `items[${i}]`, errors) };
    });
    if (errors.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      );
    }
    const table = rows as Array<{ model: string; rule: PriceRule }>;
    await this.db.tx(async (em) => {
      const before = await this.prices.allPrices(em);
      await this.prices.replaceAll(em, table, admin.id, this.clock.now());
      await this.audit.record(em, admin, {
        action: 'prices.replace',
        target: { type: 'price_table', id: null },
        before: { prices: Object.fromEntries(before.map((p) => [p.model, p.rule])) },
        after: { prices: Object.fromEntries(table.map((p) => [p.model, p.rule])) },
      });
    });
    this.cache = null;
    return this.list(admin, Object.assign(new PageQueryDto(), { page: 1, page_size: 100 }));
  }

  private async table(fresh = false): Promise<Map<string, PriceRow>> {
    const now = this.clock.nowMs();
    if (!fresh && this.cache && now - this.cache.at < CACHE_TTL_MS) return this.cache.byModel;
    const byModel = new Map((await this.prices.allPrices()).map((r) => [r.model, r]));
    this.cache = { at: now, byModel };
    return byModel;
  }

  private toRule(dto: PriceDto, at: string, errors: FieldError[]): PriceRule | null {
    const bad = (field: string, message: string) => {
      errors.push({ field: `${at}.${field}`, message });
      return null;
    };
    if (dto.scheme === 'fixed') {
      if (!dto.entries?.length) return bad('entries', 'a fixed price needs at least one entry');
      const keys = new Set<string>();
      const entries: FixedRule['entries'] = [];
      for (const [i, e] of dto.entries.entries()) {
        const quota = creditsToQuota(e.credits, this.config.quotaPerCredit);
        if (quota === null) return bad(`entries[${i}].credits`, 'has more decimals than a quota unit');
        const key = `${e.resolution ?? '*'}/${e.duration ?? '*'}`;
        if (keys.has(key)) return bad(`entries[${i}]`, `duplicates ${key}`);
        keys.add(key);
        entries.push({ resolution: e.resolution ?? null, duration: e.duration ?? null, quota });
      }
      return {
        scheme: 'fixed',
        entries,
        defaultResolution: dto.default_resolution ?? null,
        defaultDuration: dto.default_duration ?? null,
      };
    }
    if (dto.entries) return bad('entries', 'only a fixed price has entries');
    if (dto.base_credits === undefined) return bad('base_credits', 'is required for kling_formula');
    const baseQuota = creditsToQuota(dto.base_credits, this.config.quotaPerCredit);
    if (baseQuota === null) return bad('base_credits', 'has more decimals than a quota unit');
    const aspect = this.multipliers(
      dto.aspect_multipliers,
      SEED_ASPECT_MULTIPLIERS,
      `${at}.aspect_multipliers`,
      errors,
    );
    const kind = this.multipliers(dto.kind_multipliers, SEED_KIND_MULTIPLIERS, `${at}.kind_multipliers`, errors);
    if (!aspect || !kind) return null;
    const rule: FormulaRule = {
      scheme: 'kling_formula',
      baseQuota,
      perSeconds: dto.per_seconds ?? 5,
      aspectMultipliers: aspect,
      kindMultipliers: kind,
      defaultDuration: dto.default_duration ?? 5,
      defaultAspectRatio: dto.default_aspect_ratio ?? '16:9',
    };
    if (!Object.hasOwn(rule.aspectMultipliers, rule.defaultAspectRatio)) {
      return bad('default_aspect_ratio', 'has no aspect multiplier');
    }
    return rule;
  }

  // Decimal multipliers (1.2) to thousandths (1200); at most three decimals.
  private multipliers(
    given: Record<string, number> | undefined,
    fallback: Record<string, number>,
    field: string,
    errors: FieldError[],
  ): Record<string, number> | null {
    if (!given) return { ...fallback };
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(given)) {
      const scaled = typeof v === 'number' ? Math.round(v * MULTIPLIER_SCALE) : NaN;
      if (!Number.isFinite(scaled) || scaled <= 0 || Math.abs(v * MULTIPLIER_SCALE - scaled) > 1e-6) {
        errors.push({ field: `${field}.${k}`, message: 'must be a positive number with at most 3 decimals' });
        return null;
      }
      out[k] = scaled;
    }
    if (Object.keys(out).length === 0) {
      errors.push({ field, message: 'must not be empty' });
      return null;
    }
    return out;
  }

  private toView(row: PriceRow): PriceViewDto {
    const r = row.rule;
    const base = { model: row.model, scheme: r.scheme, updated_at: row.updatedAt };
    if (r.scheme === 'fixed') {
      return {
        ...base,
        entries: r.entries.map((e) => ({
          resolution: e.resolution,
          duration: e.duration,
          credits: this.credits(e.quota),
        })),
        default_resolution: r.defaultResolution,
        default_duration: r.defaultDuration,
      };
    }
    const decimals = (m: Record<string, number>) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v / MULTIPLIER_SCALE]));
    return {
      ...base,
      base_credits: this.credits(r.baseQuota),
      per_seconds: r.perSeconds,
      aspect_multipliers: decimals(r.aspectMultipliers),
      kind_multipliers: decimals(r.kindMultipliers),
      default_duration: r.defaultDuration,
      default_aspect_ratio: r.defaultAspectRatio,
    };
  }

  private credits(quota: number): number {
    return quotaToCredits(quota, this.config.quotaPerCredit);
  }
}
