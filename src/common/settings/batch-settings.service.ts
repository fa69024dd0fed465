import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import {
  applyBatchOverrides,
  BatchConfigDocument,
  BatchEngineConfig,
  batchConfigDocument,
  DEFAULT_BATCH_CONFIG,
  scaledBatchConfig,
} from '../../config/batch.config';
import { assertAdmin, AuthUser } from '../auth/auth-user';
import { Clock } from '../clock/clock.service';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { SettingsRepository } from './settings.repository';

const KEY = 'batch_engine';
// Other replicas see an admin's change within this long; the engine asks on every claim.
const CACHE_MS = 1_000;

export interface BatchConfigView {
  version: number;
  updated_at: number | null;
  time_scale: number;
  overrides: BatchConfigDocument;
  effective: Required<BatchConfigDocument>;
}

export interface ReplaceBatchConfig extends BatchConfigDocument {
  expected_version?: number;
}

// The batch engine's plan limits and tuning: the typed defaults with the admin's overrides
// (one JSON document in `settings`) over them, time-scaled, cached briefly per process.
@Injectable()
export class BatchSettingsService {
  private cache: { at: number; cfg: BatchEngineConfig } | null = null;
  private loading: Promise<BatchEngineConfig> | null = null;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // What the engine, the poller and batch creation use right now.
  async current(): Promise<BatchEngineConfig> {
    if (this.cache && this.clock.nowMs() - this.cache.at < CACHE_MS) return this.cache.cfg;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  async view(admin: AuthUser): Promise<BatchConfigView> {
    assertAdmin(admin);
    const { row, overrides } = await this.read();
    return {
      version: row?.version ?? 0,
      updated_at: row?.updatedAt ?? null,
      time_scale: this.config.batchTimeScale,
      overrides,
      effective: batchConfigDocument(applyBatchOverrides(DEFAULT_BATCH_CONFIG, overrides)),
    };
  }

  // Replaces the overrides as a whole (an empty document restores every default).
  async replace(admin: AuthUser, input: ReplaceBatchConfig): Promise<BatchConfigView> {
    assertAdmin(admin);
    const { expected_version: expected, ...doc } = input;
    checkPolling(doc.polling);
    const version = expected ?? (await this.settings.readSetting(KEY))?.version ?? 0;
    const written = await this.settings.writeSetting(KEY, JSON.stringify(doc), version, admin.id, this.clock.now());
    if (written === null) {
      throw new DomainError(ErrorCode.Conflict, 'The batch config changed meanwhile; read it again and retry');
    }
    this.cache = null;
    return this.view(admin);
  }

  private async read() {
    const row = await this.settings.readSetting(KEY);
    return { row, overrides: row ? (JSON.parse(row.value) as BatchConfigDocument) : {} };
  }

  private async load(): Promise<BatchEngineConfig> {
    const { overrides } = await this.read();
    const cfg = scaledBatchConfig(applyBatchOverrides(DEFAULT_BATCH_CONFIG, overrides), this.config.batchTimeScale);
    this.cache = { at: this.clock.nowMs(), cfg };
    return cfg;
  }
}

// A schedule starts at 0 ms elapsed, ascends, and polls at a positive interval.
function checkPolling(polling: BatchConfigDocument['polling']): void {
  for (const [resolution, steps] of Object.entries(polling ?? {})) {
    const field = `polling.${resolution}`;
    if (steps.length === 0 || steps[0][0] !== 0) throw DomainError.validation(field, 'must start at 0 ms elapsed');
    steps.forEach(([at, every], i) => {
      if (i > 0 && at <= steps[i - 1][0])
        throw DomainError.validation(`${field}[${i}]`, 'must come after the step before');
      if (every < 100) throw DomainError.validation(`${field}[${i}]`, 'must poll at 100 ms or slower');
    });
  }
}
