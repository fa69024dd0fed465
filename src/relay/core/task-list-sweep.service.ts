import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ChannelRoute } from '../../channels/channels.service';
import { Clock } from '../../common/clock/clock.service';
import { runBounded } from '../../common/jobs/run-bounded';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics.service';
import { ProviderRegistry } from '../../providers/provider-registry';
import { canList, ListedPage, ListingProvider, UpstreamTask } from '../../providers/video-provider';
import { findInListing, freshForMs, groupForSweep, ListingCache, Need } from './list-sweep';
import { parseSchedule, pollIntervalMs } from './task-state';
import { KeyMemo, TaskUpstreamService } from './task-upstream.service';
import { VideoTask } from './video-task.entity';

// Pages of one listing read at once.
const PAGE_CONCURRENCY = 8;
// What a listing showed is forgotten after this long unseen (finished tasks), or unused.
const FORGET_MS = 10 * 60_000;

interface Target {
  key: string;
  route: ChannelRoute;
  provider: ListingProvider;
  kind: string;
}

// List sweeps: the due tasks of one channel, key and kind are looked up in the provider's task
// list, newest first, a page of hundreds per call, instead of one query each (list-sweep.ts has
// the rules). Tasks the pages do not show, and those of a failed page, are left to the poller's
// single queries. What the pages showed is kept per process: each replica reads its own.
@Injectable()
export class TaskListSweepService {
  private readonly listings = new Map<string, ListingCache>();
  private readonly keyIds = new Map<string, number>(); // keys interned: no key text in cache keys
  private prunedAtMs = 0;

  constructor(
    private readonly upstream: TaskUpstreamService,
    private readonly providers: ProviderRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TaskListSweepService.name);
  }

  // The upstream state of each due task found in a list, by task id. Never throws: whatever a
  // sweep could not find is asked one task at a time.
  async sweep(batch: VideoTask[], keys: KeyMemo): Promise<Map<string, UpstreamTask>> {
    const found = new Map<string, UpstreamTask>();
    if (this.config.pollListMinGroup === 0) return found;
    try {
      await this.sweepInto(found, batch, keys);
      this.prune();
    } catch (err) {
      this.logger.warn({ err: errMessage(err) }, 'list sweep failed');
    }
    return found;
  }

  private async sweepInto(found: Map<string, UpstreamTask>, batch: VideoTask[], keys: KeyMemo): Promise<void> {
    const nowMs = this.clock.nowMs();
    const targets = new Map<string, Target>();
    const items = await Promise.all(
      batch.map(async (task) => {
        // Past its deadline a task gets one last query of its own, never a cached answer.
        const target = task.deadlineAtMs > nowMs ? await this.targetOf(task, keys) : null;
        if (target) targets.set(target.key, target);
        return { item: task, key: target?.key ?? null };
      }),
    );
    const { groups } = groupForSweep(items, this.config.pollListMinGroup, (k) => this.listings.has(k));
    for (const [key, tasks] of groups) {
      const target = targets.get(key) as Target;
      const cache = this.cacheFor(target);
      const needs = tasks.map((t) => needOf(t, nowMs));
      const read = (pageNums: number[]) => this.readPages(target, cache.pageSize, pageNums);
      const byId = await findInListing(
        cache,
        needs,
        target.provider.listLimits.maxPageNum,
        () => this.clock.nowMs(),
        read,
      );
      for (const t of tasks) {
        const up = byId.get(t.upstreamTaskId as string);
        if (up) found.set(t.taskId, up);
      }
    }
  }

  // Where a task would be listed: null when it has no upstream id yet, no channel, or its
  // provider cannot list.
  private async targetOf(task: VideoTask, keys: KeyMemo): Promise<Target | null> {
    if (task.upstreamTaskId === null) return null;
    const asked = await this.upstream.routeFor(task, keys).catch(() => null);
    if (!asked) return null;
    const provider = this.providers.get(asked.route.channel.type);
    if (!canList(provider)) return null;
    const kind = task.requestKind ?? task.type;
    const secret = asked.route.credentials.key;
    let keyId = this.keyIds.get(secret);
    if (keyId === undefined) this.keyIds.set(secret, (keyId = this.keyIds.size));
    return { key: `${asked.route.channel.id}:${keyId}:${kind}`, route: asked.route, provider, kind };
  }

  private async readPages(target: Target, pageSize: number, pageNums: number[]) {
    const pages = new Map<number, ListedPage | null>();
    await runBounded(pageNums, PAGE_CONCURRENCY, async (p) => {
      pages.set(p, await this.page(target, p, pageSize));
    });
    return pages;
  }

  private async page(target: Target, pageNum: number, pageSize: number): Promise<ListedPage | null> {
    const { route, provider, kind } = target;
    try {
      const page = await provider.listRecent(route.credentials, kind, pageNum, pageSize);
      this.metrics.pollListPage(route.channel.type);
      return page;
    } catch (err) {
      this.logger.warn(
        { channel_id: route.channel.id, kind, page: pageNum, err: errMessage(err) },
        'task list page failed; its tasks are asked one by one',
      );
      return null;
    }
  }

  private cacheFor(target: Target): ListingCache {
    const pageSize = Math.min(target.provider.listLimits.maxPageSize, this.config.pollListPageSize);
    let cache = this.listings.get(target.key);
    if (!cache || cache.pageSize !== pageSize) this.listings.set(target.key, (cache = new ListingCache(pageSize)));
    cache.usedAtMs = this.clock.nowMs();
    return cache;
  }

  // Once a minute: sightings of tasks no longer seen, and listings no longer used, are dropped.
  private prune(): void {
    const nowMs = this.clock.nowMs();
    if (nowMs - this.prunedAtMs < 60_000) return;
    this.prunedAtMs = nowMs;
    for (const [key, cache] of this.listings) {
      if (nowMs - cache.usedAtMs > FORGET_MS) this.listings.delete(key);
      else cache.prune(nowMs - FORGET_MS);
    }
  }
}

// What a sweep looks for: the task, and how old a sighting may answer for it (a share of its
// poll interval at its age now).
function needOf(task: VideoTask, nowMs: number): Need {
  const createdAtMs = task.createdAt * 1000;
  const interval = pollIntervalMs(nowMs - createdAtMs, parseSchedule(task.pollSchedule));
  return { upstreamTaskId: task.upstreamTaskId as string, createdAtMs, freshForMs: freshForMs(interval) };
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
