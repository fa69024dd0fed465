import { ListedPage, UpstreamTask } from '../../providers/video-provider';

// The rules of list sweeps, apart from any I/O. A listing is one channel's tasks of one kind under
// one key, newest first. What its pages showed is kept across poll rounds: a due task is answered
// from a sighting younger than a fraction of its own poll interval, else the page it was last seen
// on is read again (further pages when new tasks pushed it down), else, for a task never seen, the
// pages from the first on. A task the pages do not show is asked for on its own.

// Providers and Reelay disagree about the clock: an item created this long before a task Reelay
// recorded may still be that task.
export const CREATED_SLACK_MS = 120_000;

// A sighting answers for a task while younger than this share of the task's poll interval, so an
// end is noticed within (1 + share) intervals plus the poller's own delay.
export const FRESH_SHARE = 0.25;

export function freshForMs(pollIntervalMs: number): number {
  return Math.max(1, Math.floor(pollIntervalMs * FRESH_SHARE));
}

export interface Need {
  upstreamTaskId: string;
  createdAtMs: number; // when Reelay recorded the task (the upstream created it after)
  freshForMs: number;
}

// Where to look for a task: `page` first, then (scan) the pages after it, several at once.
export interface Cursor {
  need: Need;
  page: number;
  scan: boolean;
}

export interface PageInfo {
  pageNum: number;
  last: boolean; // short, or the provider's last page number
  oldestCreatedMs: number | null;
}

interface Sighting {
  task: UpstreamTask;
  atMs: number;
  createdAtMs: number | null;
  position: number; // 0-based place in the listing when seen
  headAt: number; // `head` then
}

const RANK: Record<UpstreamTask['status'], number> = { submitted: 0, processing: 1, succeed: 2, failed: 2 };

export class ListingCache {
  private readonly seen = new Map<string, Sighting>();
  // Tasks seen arriving at the head of the listing so far: later ones push earlier ones down.
  private head = 0;
  private newestMs: number | null = null;
  usedAtMs = 0;

  constructor(readonly pageSize: number) {}

  // The task as a sighting fresh enough for it shows it, or null.
  fresh(need: Need, nowMs: number): UpstreamTask | null {
    const s = this.seen.get(need.upstreamTaskId);
    return s && nowMs - s.atMs < need.freshForMs ? s.task : null;
  }

  // The page the task should be on now (where it was, pushed down by the tasks seen arriving
  // since), or a scan from the first page for a task never seen.
  cursor(need: Need): Cursor {
    const s = this.seen.get(need.upstreamTaskId);
    if (!s) return { need, page: 1, scan: true };
    return { need, page: Math.floor((s.position + this.head - s.headAt) / this.pageSize) + 1, scan: false };
  }

  record(pageNum: number, page: ListedPage, maxPageNum: number, atMs: number): PageInfo {
    if (pageNum === 1) this.countArrivals(page);
    let oldest: number | null = null;
    page.tasks.forEach(({ task, createdAtMs }, i) => {
      const had = this.seen.get(task.upstreamTaskId);
      if (!had || RANK[task.status] >= RANK[had.task.status]) {
        const position = (pageNum - 1) * this.pageSize + i;
        this.seen.set(task.upstreamTaskId, { task, atMs, createdAtMs, position, headAt: this.head });
      }
      if (createdAtMs !== null && (oldest === null || createdAtMs < oldest)) oldest = createdAtMs;
    });
    return { pageNum, last: page.itemCount < this.pageSize || pageNum >= maxPageNum, oldestCreatedMs: oldest };
  }

  // After reading one of the cursor's pages (null: it failed): found there (or elsewhere in this
  // sweep), maybe further on, or not to be found by paging (then its old place is forgotten).
  step(c: Cursor, info: PageInfo | null, sweepStartMs: number): UpstreamTask | 'further' | 'lost' {
    const s = this.seen.get(c.need.upstreamTaskId);
    if (s && s.atMs >= sweepStartMs) return s.task;
    if (!info) return 'lost';
    const bound = s?.createdAtMs ?? c.need.createdAtMs - CREATED_SLACK_MS;
    if (info.last || (info.oldestCreatedMs !== null && info.oldestCreatedMs < bound)) {
      this.seen.delete(c.need.upstreamTaskId);
      return 'lost';
    }
    return 'further';
  }

  // Drops what was not seen since `beforeMs` (finished tasks, mostly).
  prune(beforeMs: number): void {
    for (const [id, s] of this.seen) if (s.atMs < beforeMs) this.seen.delete(id);
  }

  private countArrivals(page: ListedPage): void {
    const newest = this.newestMs;
    let arrived = 0;
    for (const { createdAtMs } of page.tasks) {
      if (createdAtMs === null) continue;
      if (newest !== null && createdAtMs > newest) arrived++;
      if (this.newestMs === null || createdAtMs > this.newestMs) this.newestMs = createdAtMs;
    }
    this.head += arrived;
  }
}

// Pages a scan for a task never seen (or pushed further down) reads per step.
export const SCAN_PAGES = 4;

export function pagesOf(c: Cursor): number[] {
  return c.scan ? Array.from({ length: SCAN_PAGES }, (_, i) => c.page + i) : [c.page];
}

// Reads the given pages of a listing (null for a page that failed or does not exist).
export type PageReader = (pageNums: number[]) => Promise<Map<number, ListedPage | null>>;

// Finds the tasks in the listing: fresh sightings answer at once, the rest are looked for page by
// page until found or lost. Returns what was found, by upstream task id.
export async function findInListing(
  cache: ListingCache,
  needs: Need[],
  maxPageNum: number,
  now: () => number,
  read: PageReader,
): Promise<Map<string, UpstreamTask>> {
  const startMs = now();
  const found = new Map<string, UpstreamTask>();
  let cursors: Cursor[] = [];
  for (const need of needs) {
    const up = cache.fresh(need, startMs);
    if (up) found.set(need.upstreamTaskId, up);
    else cursors.push(cache.cursor(need));
  }
  const pages = new Map<number, PageInfo | null>();
  while (cursors.length > 0) {
    const wanted = [...new Set(cursors.flatMap(pagesOf))].filter((p) => !pages.has(p)).sort((x, y) => x - y);
    const inRange = wanted.filter((p) => p <= maxPageNum);
    const got = inRange.length > 0 ? await read(inRange) : new Map<number, ListedPage | null>();
    const atMs = now();
    // In page order: the first page tells how many tasks arrived since, for the others' places.
    for (const p of wanted) {
      const page = got.get(p) ?? null;
      pages.set(p, page ? cache.record(p, page, maxPageNum, atMs) : null);
    }
    cursors = cursors.flatMap((c) => advance(cache, c, pages, startMs, found));
  }
  return found;
}

function advance(
  cache: ListingCache,
  c: Cursor,
  pages: Map<number, PageInfo | null>,
  startMs: number,
  found: Map<string, UpstreamTask>,
): Cursor[] {
  const mine = pagesOf(c);
  for (const p of mine) {
    const step = cache.step(c, pages.get(p) ?? null, startMs);
    if (step === 'further') continue;
    if (step !== 'lost') found.set(c.need.upstreamTaskId, step);
    return [];
  }
  return [{ need: c.need, page: mine[mine.length - 1] + 1, scan: true }];
}

// Splits due tasks by listing (`key`, null when the task cannot be found in a list) into the
// groups worth a sweep: at least `minGroup` tasks, or a listing already cached. Everything else
// is asked one task at a time. minGroup 0 turns sweeps off.
export function groupForSweep<T>(
  items: ReadonlyArray<{ item: T; key: string | null }>,
  minGroup: number,
  cached: (key: string) => boolean,
): { groups: Map<string, T[]>; single: T[] } {
  const byKey = new Map<string, T[]>();
  const single: T[] = [];
  for (const { item, key } of items) {
    if (key === null || minGroup === 0) {
      single.push(item);
      continue;
    }
    const g = byKey.get(key);
    if (g) g.push(item);
    else byKey.set(key, [item]);
  }
  const groups = new Map<string, T[]>();
  for (const [key, g] of byKey) {
    if (g.length >= minGroup || cached(key)) groups.set(key, g);
    else single.push(...g);
  }
  return { groups, single };
}
