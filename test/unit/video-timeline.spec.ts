import { LedgerEntry } from '../../src/billing/ledger-entry.entity';
import { VideoTask } from '../../src/relay/core/video-task.entity';
import { buildTimeline, TimelineFacts } from '../../src/relay/videos/video-timeline.service';

const T = 1_700_000_000;

function task(over: Partial<VideoTask>): VideoTask {
  return Object.assign(new VideoTask(), {
    taskId: 'kling_x',
    channelId: 4,
    upstreamTaskId: 'up-1',
    status: 'succeed',
    createdAt: T,
    processingAt: null,
    finishedAt: T,
    endedBy: 'poll',
    failReason: null,
    ...over,
  });
}

const entry = (kind: LedgerEntry['kind'], amount: number, heldDelta: number, at = T) =>
  Object.assign(new LedgerEntry(), { kind, amount, heldDelta, createdAt: at });

const facts = (over: Partial<TimelineFacts>): TimelineFacts => ({
  task: task({}),
  ledger: [],
  copy: null,
  quotaPerCredit: 1000,
  forOperator: false,
  ...over,
});

describe('a task’s timeline', () => {
  it('lists steps of the same second in the order they happen, whatever order the facts come in', () => {
    const out = buildTimeline(
      facts({
        ledger: [entry('capture', -60_000, -60_000), entry('hold', 0, 60_000)],
        copy: { status: 'stored', at: T, error: null },
      }),
    );
    expect(out.map((e) => e.kind)).toEqual(['submitted', 'credits_held', 'succeeded', 'credits_captured', 'stored']);
    expect(out.find((e) => e.kind === 'credits_captured')?.credits).toBe(60);
  });

  it('has no processing step when the task went straight to its end, and shows a release in credits', () => {
    const out = buildTimeline(
      facts({
        task: task({ status: 'failed', endedBy: 'submit', failReason: 'refused', finishedAt: T + 1 }),
        ledger: [entry('hold', 0, 1_500), entry('release', 0, -1_500, T + 1)],
      }),
    );
    expect(out).toEqual([
      { at: T, kind: 'submitted', upstream_task_id: 'up-1' },
      { at: T, kind: 'credits_held', credits: 1.5 },
      { at: T + 1, kind: 'failed', ended_by: 'submit', fail_reason: 'refused' },
      { at: T + 1, kind: 'credits_released', credits: 1.5 },
    ]);
  });

  it('shows the channel to operators only, and a running task up to where it is', () => {
    const running = task({ status: 'processing', processingAt: T + 5, finishedAt: null, endedBy: null });
    expect(buildTimeline(facts({ task: running, forOperator: true }))).toEqual([
      { at: T, kind: 'submitted', upstream_task_id: 'up-1', channel_id: 4 },
      { at: T + 5, kind: 'processing' },
    ]);
    expect(buildTimeline(facts({ task: running }))[0]).not.toHaveProperty('channel_id');
  });
});
