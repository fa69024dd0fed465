import { canMove, pollIntervalMs, sourcesFor, TASK_STATUSES } from '../../src/relay/core/task-state';

describe('task state machine', () => {
  it.each([
    ['submitting', 'submitted', true],
    ['submitting', 'unknown', true],
    ['submitting', 'failed', true],
    ['unknown', 'submitted', true],
    ['unknown', 'succeed', true],
    ['submitted', 'processing', true],
    ['processing', 'succeed', true],
    ['processing', 'failed', true],
    ['processing', 'submitted', false],
    ['submitted', 'unknown', false],
    ['succeed', 'failed', false],
    ['failed', 'succeed', false],
    ['succeed', 'processing', false],
    ['processing', 'processing', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canMove(from, to)).toBe(allowed);
  });

  it('never leaves a terminal state', () => {
    for (const to of TASK_STATUSES) {
      expect(sourcesFor(to)).not.toContain('succeed');
      expect(sourcesFor(to)).not.toContain('failed');
    }
  });

  it('polls often early and rarely later', () => {
    const schedule = [
      [0, 5000],
      [60000, 10000],
      [300000, 30000],
    ] as const;
    expect(pollIntervalMs(0, schedule)).toBe(5000);
    expect(pollIntervalMs(59999, schedule)).toBe(5000);
    expect(pollIntervalMs(60000, schedule)).toBe(10000);
    expect(pollIntervalMs(10 * 60000, schedule)).toBe(30000);
  });
});
