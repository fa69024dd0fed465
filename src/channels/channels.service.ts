import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuthUser } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Page, PageQueryDto, pageOf, toPageRequest } from '../common/pagination/page.dto';
import { ProviderRegistry } from '../providers/provider-registry';
import { ChannelCredentials } from '../providers/video-provider';
import { Channel, ChannelType } from './channel.entity';
import { ChannelFields, ChannelRepository } from './channel.repository';
import { ChannelDto, ChannelTestDto, CreateChannelDto, KLING_BASE_URLS, UpdateChannelDto } from './channels.dto';

const KEY_PURPOSE = 'channel-keys';
const DEFAULT_BASE_URL: Record<ChannelType, string> = {
  kling: KLING_BASE_URLS[0],
  viva: 'https://www.vivaapi.cn',
  kie: 'https://api.kie.ai',
};
const ROUTE_CACHE_MS = 5_000;

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
  ) {
    this.logger.setContext(ChannelsService.name);
  }

  async create(_admin: AuthUser, dto: CreateChannelDto): Promise<ChannelDto> {
    const row = await this.channels.insertChannel(
      {
        name: dto.name,
        type: dto.type,
        baseUrl: dto.base_url ?? DEFAULT_BASE_URL[dto.type],
        keyEncrypted: this.crypto.encrypt(KEY_PURPOSE, dto.key),
        keyHint: maskKey(dto.key),
        models: JSON.stringify(dto.models),
        modelMapping: dto.model_mapping ? JSON.stringify(validMapping(dto.model_mapping)) : null,
        priority: dto.priority ?? 0,
        weight: dto.weight ?? 1,
        status: dto.status ?? 'enabled',
        disabledReason: null,
        webhookKeyEncrypted: dto.webhook_key ? this.crypto.encrypt(KEY_PURPOSE, dto.webhook_key) : null,
      },
      this.clock.now(),
    );
    this.routeCache = null;
    return toDto(row);
  }

  async list(_admin: AuthUser, query: PageQueryDto): Promise<Page<ChannelDto>> {
    const page = toPageRequest(query);
    const [rows, total] = await this.channels.listChannels(page);
    return pageOf(rows, total, page, toDto);
  }

  async get(_admin: AuthUser, id: number): Promise<ChannelDto> {
    return toDto(await this.mustFind(id));
  }

  async update(_admin: AuthUser, id: number, dto: UpdateChannelDto): Promise<ChannelDto> {
    const fields: Partial<ChannelFields> = {};
    if (dto.name !== undefined) fields.name = dto.name;
    if (dto.base_url !== undefined) fields.baseUrl = dto.base_url;
    if (dto.key !== undefined) {
      fields.keyEncrypted = this.crypto.encrypt(KEY_PURPOSE, dto.key);
      fields.keyHint = maskKey(dto.key);
    }
    if (dto.models !== undefined) fields.models = JSON.stringify(dto.models);
    if (dto.model_mapping !== undefined) fields.modelMapping = JSON.stringify(validMapping(dto.model_mapping));
    if (dto.webhook_key !== undefined) fields.webhookKeyEncrypted = this.crypto.encrypt(KEY_PURPOSE, dto.webhook_key);
    if (dto.priority !== undefined) fields.priority = dto.priority;
    if (dto.weight !== undefined) fields.weight = dto.weight;
    if (dto.status !== undefined) {
      fields.status = dto.status;
      fields.disabledReason = null;
    }
    if (!(await this.channels.updateChannel(id, fields, this.clock.now()))) throw DomainError.notFound('Channel');
    this.routeCache = null;
    return this.get(_admin, id);
  }

  async remove(_admin: AuthUser, id: number): Promise<void> {
    if (!(await this.channels.deleteChannel(id))) throw DomainError.notFound('Channel');
    this.routeCache = null;
  }

  async test(_admin: AuthUser, id: number): Promise<ChannelTestDto> {
    const channel = await this.mustFind(id);
    return this.providers.get(channel.type).checkAccount(this.credentials(channel));
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
  // re-enables it.
  async autoDisable(channelId: number, reason: string): Promise<void> {
    if (await this.channels.autoDisable(channelId, reason, this.clock.now())) {
      this.logger.warn({ channel_id: channelId, reason }, 'channel auto-disabled');
    }
    this.routeCache = null;
  }

  // The channel's webhook signing key (KIE), if an admin set one.
  webhookKey(c: Channel): string | null {
    return c.webhookKeyEncrypted ? this.crypto.decrypt(KEY_PURPOSE, c.webhookKeyEncrypted) : null;
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
    return { channelId: c.id, type: c.type, baseUrl: c.baseUrl, key: this.crypto.decrypt(KEY_PURPOSE, c.keyEncrypted) };
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
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

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
