import { runBounded } from '../../src/common/jobs/run-bounded';

describe('runBounded', () => {
  it('does every item once with never more than the limit in flight', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const done: number[] = [];
    let inFlight = 0;
    let most = 0;
    await runBounded(items, 7, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      inFlight--;
      done.push(i);
    });
    expect(most).toBe(7);
    expect([...done].sort((a, b) => a - b)).toEqual(items);
  });

  it('starts no more lanes than there are items, and none for an empty list', async () => {
    let calls = 0;
    const count = () => Promise.resolve(void calls++);
    await runBounded([], 4, count);
    await runBounded(['a', 'b'], 10, count);
    expect(calls).toBe(2);
  });
});
