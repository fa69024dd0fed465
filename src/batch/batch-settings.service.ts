import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import {
  applyBatchOverrides,
  BatchConfigDocument,
  BatchEngineConfig,
  batchConfigDocument,
  batchConfigProblems,
  DEFAULT_BATCH_CONFIG,
  scaledBatchConfig,
} from './batch-config';
import { PinoLogger } from 'nestjs-pino';
import { AuditService } from '../audit/audit.service';
import { Db } from '../common/database/db.service';
import { assertAdmin, AuthUser, UserPlan } from '../common/auth/auth-user';
import { Clock } from '../common/clock/clock.service';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { SettingsRepository } from '../common/settings/settings.repository';

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
    private readonly logger: PinoLogger,
    private readonly audit: AuditService,
    private readonly db: Db,
  ) {
    this.logger.setContext(BatchSettingsService.name);
  }

  // What the engine and batch creation use right now.
  async current(): Promise<BatchEngineConfig> {
    if (this.cache && this.clock.nowMs() - this.cache.at < CACHE_MS) return this.cache.cfg;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  // The same, read through `em` when the cache is stale (inside a transaction on SQLite nothing
  // else may touch the database).
  async currentIn(em: EntityManager): Promise<BatchEngineConfig> {
    if (this.cache && this.clock.nowMs() - this.cache.at < CACHE_MS) return this.cache.cfg;
    return this.load(em);
  }

  // What a user may do under their plan right now (the console shows it before a batch is sent).
  async planLimits(user: AuthUser): Promise<{ plan: UserPlan; concurrency: number; max_batch_rows: number }> {
    const limits = (await this.current()).plans[user.plan];
    return { plan: user.plan, concurrency: limits.concurrency, max_batch_rows: limits.maxBatchRows };
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
    // The document as a whole, laid over the defaults, before anything is stored.
    let problems: Array<{ field: string; message: string }>;
    try {
      problems = batchConfigProblems(applyBatchOverrides(DEFAULT_BATCH_CONFIG, doc));
    } catch {
      problems = [{ field: 'body', message: 'is not a batch config document' }];
    }
    if (problems.length > 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        problems,
      );
    }
    const written = await this.db.tx(async (em) => {
      const before = await this.settings.readSetting(KEY, em);
      const version = expected ?? before?.version ?? 0;
      const next = await this.settings.writeSetting(KEY, JSON.stringify(doc), version, admin.id, this.clock.now(), em);
      if (next === null) return null;
      await this.audit.record(em, admin, {
        action: 'batch_config.replace',
        target: { type: 'setting', id: KEY },
        before: { version: before?.version ?? 0, overrides: storedDocument(before?.value) },
        after: { version: next, overrides: doc },
      });
      return next;
    });
    if (written === null) {
      throw new DomainError(ErrorCode.Conflict, 'The batch config changed meanwhile; read it again and retry');
    }
    this.cache = null;
    return this.view(admin);
  }

  // A stored document that no longer makes a valid config (written before it was checked, or
  // by hand) is set aside with an error line instead of failing every batch call.
  private async read(em?: EntityManager) {
    const row = await this.settings.readSetting(KEY, em);
    if (!row) return { row, overrides: {} };
    try {
      const overrides = JSON.parse(row.value) as BatchConfigDocument;
      const problems = batchConfigProblems(applyBatchOverrides(DEFAULT_BATCH_CONFIG, overrides));
      if (problems.length === 0) return { row, overrides };
      this.logger.error({ problems, version: row.version }, 'stored batch config is invalid; using the defaults');
    } catch (err) {
      this.logger.error({ err, version: row.version }, 'stored batch config is unreadable; using the defaults');
    }
    return { row, overrides: {} };
  }

  private async load(em?: EntityManager): Promise<BatchEngineConfig> {
    const { overrides } = await this.read(em);
    const cfg = scaledBatchConfig(applyBatchOverrides(DEFAULT_BATCH_CONFIG, overrides), this.config.batchTimeScale);
    this.cache = { at: this.clock.nowMs(), cfg };
    return cfg;
  }
}

// A schedule starts at 0 ms elapsed, ascends, and polls at a positive interval.
function checkPolling(polling: BatchConfigDocument['polling']): void {
  for (const [resolution, steps] of Object.entries(polling ?? {})) {
    if (steps === undefined) continue; // a resolution left out keeps its default
    const field = `polling.${resolution}`;
    if (steps.length === 0 || steps[0][0] !== 0) throw DomainError.validation(field, 'must start at 0 ms elapsed');
    steps.forEach(([at, every], i) => {
      if (i > 0 && at <= steps[i - 1][0])
        throw DomainError.validation(`${field}[${i}]`, 'must come after the step before');
      if (every < 100) throw DomainError.validation(`${field}[${i}]`, 'must poll at 100 ms or slower');
    });
  }
}

// The stored overrides as they were, for the audit trail (unreadable ones as their text).
function storedDocument(value: string | undefined): unknown {
  if (value === undefined) return {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
