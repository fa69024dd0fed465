import { ListedPage, UpstreamStatus } from '../../src/providers/video-provider';
import {
  CREATED_SLACK_MS,
  findInListing,
  freshForMs,
  groupForSweep,
  ListingCache,
  Need,
  SCAN_PAGES,
} from '../../src/relay/core/list-sweep';

interface Item {
  id: string;
  createdAtMs: number;
  status: UpstreamStatus;
}

// A provider's listing, newest first, that records which pages were read.
class FakeListing {
  items: Item[] = [];
  reads: number[][] = [];
  failing = new Set<number>();

  constructor(readonly pageSize: number) {}

  // `n` tasks created one second apart, the newest first.
  static of(n: number, pageSize: number, newestMs = 10_000_000): FakeListing {
    const l = new FakeListing(pageSize);
    l.items = Array.from({ length: n }, (_, i) => ({
      id: `t${n - 1 - i}`,
      createdAtMs: newestMs - i * 1000,
      status: 'processing',
    }));
    return l;
  }

  arrive(n: number): void {
    const newest = this.items[0]?.createdAtMs ?? 0;
    const fresh = Array.from({ length: n }, (_, i) => ({
      id: `new${this.items.length + i}`,
      createdAtMs: newest + (n - i) * 1000,
      status: 'submitted' as const,
    }));
    this.items = [...fresh, ...this.items];
  }

  read = (pageNums: number[]): Promise<Map<number, ListedPage | null>> => {
    this.reads.push(pageNums);
    return Promise.resolve(
      new Map(pageNums.map((p) => [p, this.failing.has(p) ? null : this.page(p)] as [number, ListedPage | null])),
    );
  };

  private page(p: number): ListedPage {
    const slice = this.items.slice((p - 1) * this.pageSize, p * this.pageSize);
    return {
      tasks: slice.map((it) => ({
        task: {
          upstreamTaskId: it.id,
          externalTaskId: null,
          status: it.status,
          failReason: null,
          videoId: null,
          videoUrl: null,
          duration: null,
        },
        createdAtMs: it.createdAtMs,
      })),
      itemCount: slice.length,
    };
  }

  createdOf(id: string): number {
    return this.items.find((i) => i.id === id)!.createdAtMs;
  }
}

const need = (l: FakeListing, id: string, freshFor = 1000): Need => ({
  upstreamTaskId: id,
  createdAtMs: l.createdOf(id),
  freshForMs: freshFor,
});

describe('list sweep rules', () => {
  let nowMs: number;
  const now = () => nowMs;
  beforeEach(() => (nowMs = 1_000_000));

  describe('grouping due tasks', () => {
    const never = () => false;

    it('sweeps a listing with at least minGroup due tasks and asks the rest one by one', () => {
      const items = [
        ...Array.from({ length: 20 }, (_, i) => ({ item: `a${i}`, key: 'ch1:0:text2video' })),
        ...Array.from({ length: 19 }, (_, i) => ({ item: `b${i}`, key: 'ch1:0:image2video' })),
        { item: 'no-upstream-id', key: null },
      ];
      const { groups, single } = groupForSweep(items, 20, never);
      expect([...groups.keys()]).toEqual(['ch1:0:text2video']);
      expect(groups.get('ch1:0:text2video')).toHaveLength(20);
      expect(single).toHaveLength(20);
      expect(single).toContain('no-upstream-id');
    });

    it('sweeps a small group when its listing is already cached', () => {
      const { groups, single } = groupForSweep([{ item: 'x', key: 'k' }], 20, (k) => k === 'k');
      expect(groups.get('k')).toEqual(['x']);
      expect(single).toEqual([]);
    });

    it('never sweeps with minGroup 0', () => {
      const items = Array.from({ length: 50 }, (_, i) => ({ item: i, key: 'k' }));
      const { groups, single } = groupForSweep(items, 0, () => true);
      expect(groups.size).toBe(0);
      expect(single).toHaveLength(50);
    });
  });

  describe('finding tasks', () => {
    it('scans a task never seen from the first page, several pages a step, and stops once found', async () => {
      const l = FakeListing.of(100, 10);
      const cache = new ListingCache(10);
      const found = await findInListing(cache, [need(l, 't75'), need(l, 't50')], 1000, now, l.read);
      // t75 is on page 3, t50 on page 5: pages 1-4, then 5-8.
      expect(l.reads).toEqual([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
      expect([...found.keys()].sort()).toEqual(['t50', 't75']);
      expect(SCAN_PAGES).toBe(4);
    });

    it('answers from a sighting younger than a share of the task’s interval, and rereads only its page after', async () => {
      const l = FakeListing.of(100, 10);
      const cache = new ListingCache(10);
      await findInListing(cache, [need(l, 't5')], 1000, now, l.read); // page 10
      l.reads = [];
      nowMs += 999;
      expect((await findInListing(cache, [need(l, 't5', 1000)], 1000, now, l.read)).has('t5')).toBe(true);
      expect(l.reads).toEqual([]);
      nowMs += 1;
      l.items.find((i) => i.id === 't5')!.status = 'succeed';
      const again = await findInListing(cache, [need(l, 't5', 1000)], 1000, now, l.read);
      expect(again.get('t5')?.status).toBe('succeed');
      expect(l.reads).toEqual([[10]]);
      expect(freshForMs(30_000)).toBe(7_500);
    });

    it('looks for a task where the tasks arrived since (counted on the first page) pushed it', async () => {
      const l = FakeListing.of(100, 10);
      const cache = new ListingCache(10);
      await findInListing(cache, [need(l, 't5')], 1000, now, l.read); // at 94: page 10
      l.arrive(8); // t5 now at 102: page 11
      nowMs += 5_000;
      await findInListing(cache, [need(l, 'new107')], 1000, now, l.read); // a new task: page 1 on
      l.reads = [];
      const found = await findInListing(cache, [need(l, 't5')], 1000, now, l.read);
      expect(found.has('t5')).toBe(true);
      expect(l.reads).toEqual([[11]]);
    });

    it('reads on from where it looked when arrivals pushed the task further than it knew', async () => {
      const l = FakeListing.of(100, 10);
      const cache = new ListingCache(10);
      await findInListing(cache, [need(l, 't5')], 1000, now, l.read);
      l.arrive(25); // page 1 is not read again: t5 is looked for on page 10 first
      nowMs += 5_000;
      l.reads = [];
      expect((await findInListing(cache, [need(l, 't5')], 1000, now, l.read)).has('t5')).toBe(true);
      expect(l.reads).toEqual([[10], [11, 12, 13, 14]]);
    });

    it('stops at the end of the listing, and where its pages pass the task’s creation less the slack', async () => {
      const l = FakeListing.of(25, 10); // pages of 10, 10, 5
      const cache = new ListingCache(10);
      const gone: Need = { upstreamTaskId: 'gone', createdAtMs: 0, freshForMs: 1000 };
      expect((await findInListing(cache, [gone], 1000, now, l.read)).size).toBe(0);
      expect(l.reads).toEqual([[1, 2, 3, 4]]);

      const big = FakeListing.of(1000, 10);
      const newestMs = big.createdOf('t999');
      // Recorded by Reelay 20 s before the newest item: the slack lets the pages go 120 s further.
      const missing: Need = { upstreamTaskId: 'missing', createdAtMs: newestMs - 20_000, freshForMs: 1000 };
      expect((await findInListing(new ListingCache(10), [missing], 1000, now, big.read)).size).toBe(0);
      // Items a second apart, 10 a page: page 15 holds the first one older than the bound.
      expect(CREATED_SLACK_MS).toBe(120_000);
      expect(Math.max(...big.reads.flat())).toBe(16);
    });

    it('never reads past the provider’s last page number', async () => {
      const l = FakeListing.of(100, 10);
      const found = await findInListing(new ListingCache(10), [need(l, 't0')], 6, now, l.read);
      expect(found.size).toBe(0);
      expect(Math.max(...l.reads.flat())).toBe(6);
    });

    it('leaves the tasks of a failed page unfound', async () => {
      const l = FakeListing.of(100, 10);
      l.failing.add(2);
      const needs = [need(l, 't95'), need(l, 't85'), need(l, 't65')]; // pages 1, 2 and 4
      const found = await findInListing(new ListingCache(10), needs, 1000, now, l.read);
      expect([...found.keys()].sort()).toEqual(['t65', 't95']);
      expect(l.reads).toEqual([[1, 2, 3, 4]]);
    });

    it('keeps the further state of a task seen on two pages at once', () => {
      const cache = new ListingCache(2);
      const item = (id: string, status: UpstreamStatus) => ({
        task: {
          upstreamTaskId: id,
          externalTaskId: null,
          status,
          failReason: null,
          videoId: null,
          videoUrl: null,
          duration: null,
        },
        createdAtMs: 1,
      });
      cache.record(1, { tasks: [item('a', 'succeed'), item('b', 'processing')], itemCount: 2 }, 1000, 5);
      cache.record(2, { tasks: [item('a', 'processing')], itemCount: 1 }, 1000, 5);
      expect(cache.fresh({ upstreamTaskId: 'a', createdAtMs: 0, freshForMs: 10 }, 6)?.status).toBe('succeed');
    });

    it('forgets sightings not renewed', async () => {
      const l = FakeListing.of(10, 10);
      const cache = new ListingCache(10);
      await findInListing(cache, [need(l, 't3')], 1000, now, l.read);
      cache.prune(nowMs + 1);
      expect(cache.cursor(need(l, 't3'))).toMatchObject({ page: 1, scan: true });
    });
  });
});
