import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { systemActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { Db } from '../common/database/db.service';
import { AppConfig } from '../config/app-config';
import { PricesService } from '../billing/prices.service';
import { CHANNEL_KEY_PURPOSE as KEY_PURPOSE } from '../common/crypto/key-purposes';
import { DomainError } from '../common/errors/domain-error';
import { OutboundGuard } from '../common/outbound/outbound-guard.service';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { ProviderRegistry } from '../providers/provider-registry';
import { AccountCheck, ChannelCredentials } from '../providers/video-provider';
import { Channel } from './channel.entity';
import { ChannelType } from '../providers/channel-types';
import { ChannelFields, ChannelRepository } from './channel.repository';
import { ChannelDto, ChannelTestDto, CreateChannelDto, KLING_BASE_URLS, UpdateChannelDto } from './channels.dto';

const DEFAULT_BASE_URL: Record<ChannelType, string> = {
  kling: KLING_BASE_URLS[0],
  viva: 'https://www.vivaapi.cn',
  kie: 'https://api.kie.ai',
};
const ROUTE_CACHE_MS = 5_000;
// Kling keys are an access key and a secret key joined by one bar.
const KLING_KEY = /^[^|\s]+\|[^|\s]+$/;
const PROVIDER_NAMES: Record<ChannelType, string> = { kling: 'Kling', viva: 'VivaAPI', kie: 'KIE' };

// A channel picked for one request, with what the provider client needs.
export interface ChannelRoute {
  channel: Channel;
  credentials: ChannelCredentials;
  upstreamModel: string;
}

interface CachedChannel {
  channel: Channel;
  credentials: ChannelCredentials;
  models: Set<string>;
  mapping: Record<string, string>;
}

@Injectable()
export class ChannelsService {
  // Enabled channels with their keys decrypted and lists parsed once per refresh, not per request.
  private routeCache: { at: number; channels: CachedChannel[] } | null = null;

  constructor(
    private readonly channels: ChannelRepository,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly providers: ProviderRegistry,
    private readonly logger: PinoLogger,
    private readonly outbound: OutboundGuard,
    private readonly prices: PricesService,
    private readonly audit: AuditService,
    private readonly db: Db,
    private readonly config: AppConfig,
  ) {
    this.logger.setContext(ChannelsService.name);
  }

  async create(admin: AuthUser, dto: CreateChannelDto): Promise<ChannelDto> {
    await this.checkForType(dto.type, dto.key, dto.models);
    const baseUrl =
      dto.base_url !== undefined ? await this.outbound.checkUrl('base_url', dto.base_url) : DEFAULT_BASE_URL[dto.type];
    const fields: ChannelFields = {
      name: dto.name,
      type: dto.type,
      baseUrl,
      keyEncrypted: this.crypto.encrypt(KEY_PURPOSE, dto.key),
      keyHint: maskKey(dto.key),
      models: JSON.stringify(dto.models),
      modelMapping: dto.model_mapping ? JSON.stringify(validMapping(dto.model_mapping)) : null,
      priority: dto.priority ?? 0,
      weight: dto.weight ?? 1,
      status: dto.status ?? 'enabled',
      disabledReason: null,
      webhookKeyEncrypted: dto.webhook_key ? this.crypto.encrypt(KEY_PURPOSE, dto.webhook_key) : null,
      autoReenable: dto.auto_reenable ?? true,
    };
    const row = await this.db.tx(async (em) => {
      const created = await this.channels.insertChannel(fields, this.clock.now(), em);
      await this.audit.record(em, admin, {
        action: 'channel.create',
        target: target(created.id),
        after: toDto(created),
      });
      return created;
    });
    this.routeCache = null;
    return toDto(row);
  }

  async list(_admin: AuthUser, query: PageQueryDto): Promise<Page<ChannelDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.channels.listChannels(page);
    return pageOf(rows, total, page, toDto);
  }

  // Several channels as admins see them (the stats name the channels they count).
  async findMany(_admin: AuthUser, ids: number[]): Promise<ChannelDto[]> {
    return (await this.channels.findByIds(ids)).map(toDto);
  }

  async get(_admin: AuthUser, id: number): Promise<ChannelDto> {
    return toDto(await this.mustFind(id));
  }

  async update(admin: AuthUser, id: number, dto: UpdateChannelDto): Promise<ChannelDto> {
    if (dto.key !== undefined || dto.models !== undefined) {
      await this.checkForType((await this.mustFind(id)).type, dto.key, dto.models);
    }
    const fields = await this.changedFields(dto);
    const after = await this.db.tx(async (em) => {
      const before = await this.channels.findById(id, em);
      if (!before) throw DomainError.notFound('Channel');
      await this.channels.updateChannel(id, fields, this.clock.now(), em);
      const updated = (await this.channels.findById(id, em)) as Channel;
      await this.audit.record(em, admin, {
        action: 'channel.update',
        target: target(id),
        before: toDto(before),
        after: {
          ...toDto(updated),
          key_changed: dto.key !== undefined,
          webhook_key_changed: dto.webhook_key !== undefined,
        },
      });
      return updated;
    });
    this.routeCache = null;
    return toDto(after);
  }

  private async changedFields(dto: UpdateChannelDto): Promise<Partial<ChannelFields>> {
    const fields: Partial<ChannelFields> = {};
    if (dto.name !== undefined) fields.name = dto.name;
    if (dto.base_url !== undefined) fields.baseUrl = await this.outbound.checkUrl('base_url', dto.base_url);
    if (dto.key !== undefined) {
      fields.keyEncrypted = this.crypto.encrypt(KEY_PURPOSE, dto.key);
      fields.keyHint = maskKey(dto.key);
    }
    if (dto.models !== undefined) fields.models = JSON.stringify(dto.models);
    if (dto.model_mapping !== undefined) fields.modelMapping = JSON.stringify(validMapping(dto.model_mapping));
    if (dto.webhook_key !== undefined) fields.webhookKeyEncrypted = this.crypto.encrypt(KEY_PURPOSE, dto.webhook_key);
    if (dto.priority !== undefined) fields.priority = dto.priority;
    if (dto.weight !== undefined) fields.weight = dto.weight;
    if (dto.auto_reenable !== undefined) fields.autoReenable = dto.auto_reenable;
    if (dto.status !== undefined) {
      fields.status = dto.status;
      fields.disabledReason = null;
    }
    return fields;
  }

  async remove(admin: AuthUser, id: number): Promise<void> {
    await this.db.tx(async (em) => {
      const before = await this.channels.findById(id, em);
      if (!before || !(await this.channels.deleteChannel(id, em))) throw DomainError.notFound('Channel');
      await this.audit.record(em, admin, { action: 'channel.delete', target: target(id), before: toDto(before) });
    });
    this.routeCache = null;
  }

  // A summary only: whatever the target answered stays here (a base URL pointed at some
  // internal service must not turn this into a way to read it). Audited: it sends the key out.
  async test(admin: AuthUser, id: number): Promise<ChannelTestDto> {
    const channel = await this.mustFind(id);
    const result = summariseCheck(channel.type, await this.checkAccount(channel));
    await this.audit.recordAlone(admin, { action: 'channel.test', target: target(id), after: result });
    return result;
  }

  // The provider's account call with the channel's own key (the admin's test, the re-check job).
  checkAccount(channel: Channel): Promise<AccountCheck> {
    return this.providers.get(channel.type).checkAccount(this.credentials(channel));
  }

  // Kling: the key must be AK|SK and every model must have a price (an unpriced model could
  // never be used, so accepting it would only hide the mistake).
  private async checkForType(type: ChannelType, key?: string, models?: string[]): Promise<void> {
    if (type !== 'kling') return;
    if (key !== undefined && !KLING_KEY.test(key)) {
      throw DomainError.validation('key', 'must be the Kling access key and secret key as AK|SK');
    }
    for (const [i, model] of (models ?? []).entries()) {
      if (!(await this.prices.hasPrice(model))) {
        throw DomainError.validation(`models[${i}]`, `${model} has no price; add it with PUT /api/admin/prices first`);
      }
    }
  }

  // Enabled channels serving `model`: highest priority first, weighted random inside a priority.
  async routesFor(model: string, type: ChannelType, random: () => number = Math.random): Promise<ChannelRoute[]> {
    const serving = (await this.enabled()).filter((c) => c.channel.type === type && c.models.has(model));
    return orderByPriorityAndWeight(serving, random, (c) => c.channel).map((c) => ({
      channel: c.channel,
      credentials: { ...c.credentials },
      upstreamModel: c.mapping[model] ?? model,
    }));
  }

  // Every enabled channel of a type, for finding which account knows a task (see relay repair).
  async routesOfType(type: ChannelType): Promise<ChannelRoute[]> {
    return (await this.enabled())
      .filter((c) => c.channel.type === type)
      .map((c) => ({ channel: c.channel, credentials: { ...c.credentials }, upstreamModel: '' }));
  }

  // Every poll and KIE callback asks for its task's channel: enabled ones come from the route
  // cache; a channel disabled since (its tasks still finish) is read from the database.
  async routeById(channelId: number): Promise<ChannelRoute | null> {
    const cached = (await this.enabled()).find((c) => c.channel.id === channelId);
    if (cached) return { channel: cached.channel, credentials: { ...cached.credentials }, upstreamModel: '' };
    const channel = await this.channels.findById(channelId);
    return channel ? { channel, credentials: this.credentials(channel), upstreamModel: '' } : null;
  }

  private async enabled(): Promise<CachedChannel[]> {
    const now = this.clock.nowMs();
    if (!this.routeCache || now - this.routeCache.at > ROUTE_CACHE_MS) {
      const rows = await this.channels.enabledChannels();
      this.routeCache = { at: now, channels: rows.map((c) => this.toCached(c)) };
    }
    return this.routeCache.channels;
  }

  // A key or account the upstream refuses takes the channel out of rotation until an admin
  // re-enables it, or the re-check job finds the key working again (when the channel allows it).
  async autoDisable(channelId: number, reason: string): Promise<void> {
    const nowMs = this.clock.nowMs();
    const disabled = await this.db.tx(async (em) => {
      const recheckAt = nowMs + this.config.channelRecheckIntervalSeconds * 1000;
      if (!(await this.channels.autoDisable(em, channelId, reason, Math.floor(nowMs / 1000), recheckAt))) return false;
      await this.audit.record(em, systemActor('relay'), {
        action: 'channel.auto_disable',
        target: target(channelId),
        before: { status: 'enabled' },
        after: { status: 'auto_disabled', disabled_reason: reason.slice(0, 255) },
      });
      return true;
    });
    if (disabled) this.logger.warn({ channel_id: channelId, reason }, 'channel auto-disabled');
    this.routeCache = null;
  }

  // The re-check found the key working: back in rotation, if it is still auto-disabled and
  // still allowed to come back.
  async autoReenable(channel: Channel, check: string): Promise<boolean> {
    const enabled = await this.db.tx(async (em) => {
      if (!(await this.channels.autoReenable(em, channel.id, this.clock.now()))) return false;
      await this.audit.record(em, systemActor('channel-recheck'), {
        action: 'channel.auto_reenable',
        target: target(channel.id),
        before: { status: 'auto_disabled', disabled_reason: channel.disabledReason },
        after: { status: 'enabled', check },
      });
      return true;
    });
    if (enabled) this.logger.info({ channel_id: channel.id }, 'channel re-enabled: its key works again');
    this.routeCache = null;
    return enabled;
  }

  private toCached(channel: Channel): CachedChannel {
    return {
      channel,
      credentials: this.credentials(channel),
      models: new Set(parseList(channel.models)),
      mapping: parseMapping(channel.modelMapping),
    };
  }

  private credentials(c: Channel): ChannelCredentials {
    return {
      channelId: c.id,
      type: c.type,
      baseUrl: c.baseUrl,
      key: this.crypto.decrypt(KEY_PURPOSE, c.keyEncrypted),
      webhookKey: c.webhookKeyEncrypted ? this.crypto.decrypt(KEY_PURPOSE, c.webhookKeyEncrypted) : null,
    };
  }

  private async mustFind(id: number): Promise<Channel> {
    const c = await this.channels.findById(id);
    if (!c) throw DomainError.notFound('Channel');
    return c;
  }
}

export function orderByPriorityAndWeight<T = Channel>(
  items: T[],
  random: () => number,
  channelOf: (item: T) => Pick<Channel, 'priority' | 'weight'> = (item) => item as Channel,
): T[] {
  const byPriority = new Map<number, T[]>();
  for (const item of items) {
    const p = channelOf(item).priority;
    byPriority.set(p, [...(byPriority.get(p) ?? []), item]);
  }
  const weight = (item: T) => Math.max(1, channelOf(item).weight);
  return [...byPriority.keys()]
    .sort((a, b) => b - a)
    .flatMap((p) => weightedShuffle(byPriority.get(p) ?? [], random, weight));
}

// Repeated weighted draws without replacement.
function weightedShuffle<T>(items: T[], random: () => number, weight: (item: T) => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, c) => s + weight(c), 0);
    let r = random() * total;
    const i = pool.findIndex((c) => (r -= weight(c)) < 0);
    out.push(...pool.splice(i < 0 ? pool.length - 1 : i, 1));
  }
  return out;
}

const SAFE_CODE = /^[A-Za-z0-9_.-]{1,40}$/;

function summariseCheck(type: ChannelType, r: AccountCheck): ChannelTestDto {
  const name = PROVIDER_NAMES[type];
  if (r.ok) return { ok: true, message: `${name} accepted the key`, details: {} };
  const category =
    typeof r.details.category === 'string' && SAFE_CODE.test(r.details.category) ? r.details.category : 'error';
  const code = typeof r.details.code === 'string' && SAFE_CODE.test(r.details.code) ? r.details.code : null;
  return {
    ok: false,
    message: `${name} refused or could not be reached (${category}${code ? `, code ${code}` : ''})`,
    details: { category, code },
  };
}

function toDto(c: Channel): ChannelDto {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    base_url: c.baseUrl,
    key_masked: c.keyHint,
    models: parseList(c.models),
    model_mapping: parseMapping(c.modelMapping),
    priority: c.priority,
    weight: c.weight,
    status: c.status,
    disabled_reason: c.disabledReason,
    webhook_key_set: c.webhookKeyEncrypted !== null,
    auto_reenable: c.autoReenable,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

const target = (id: number) => ({ type: 'channel', id });

export function maskKey(key: string): string {
  const [ak] = key.split('|');
  const shown = ak.slice(0, ak.length >= 8 ? 4 : 2);
  return key.includes('|') ? `${shown}…|****` : `${shown}…`;
}

function parseList(json: string): string[] {
  return JSON.parse(json) as string[];
}

function parseMapping(json: string | null): Record<string, string> {
  return json ? (JSON.parse(json) as Record<string, string>) : {};
}

function validMapping(m: Record<string, string>): Record<string, string> {
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string' || !v) throw DomainError.validation(`model_mapping.${k}`, 'must be a model name');
  }
  return m;
}
