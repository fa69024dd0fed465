import { diffJson } from './diff';

describe('what another admin changed', () => {
  it('lists each changed leaf by path, with before and after', () => {
    const mine = { plans: { pro: { concurrency: 3, max_batch_rows: 15 } }, retry_backoff_ms: [2000] };
    const theirs = {
      plans: { pro: { concurrency: 4, max_batch_rows: 15 }, free: { concurrency: 2 } },
      retry_backoff_ms: [1000],
    };
    expect(diffJson(mine, theirs)).toEqual([
      { path: 'plans.free', before: undefined, after: { concurrency: 2 } },
      { path: 'plans.pro.concurrency', before: 3, after: 4 },
      { path: 'retry_backoff_ms', before: [2000], after: [1000] },
    ]);
    expect(diffJson(mine, structuredClone(mine))).toEqual([]);
  });
});
