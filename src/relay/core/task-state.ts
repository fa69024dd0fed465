// The relay task state machine (pure).
//   submitting → submitted | unknown | failed        (the create call and its answer)
//   unknown    → submitted | processing | succeed | failed   (resolved by external id)
//   submitted  → processing | succeed | failed
//   processing → succeed | failed
// succeed and failed are terminal: reached once, by one conditional UPDATE.

export const TASK_STATUSES = ['submitting', 'unknown', 'submitted', 'processing', 'succeed', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TERMINAL: readonly TaskStatus[] = ['succeed', 'failed'];
export const ACTIVE: readonly TaskStatus[] = ['submitting', 'unknown', 'submitted', 'processing'];

const RANK: Record<TaskStatus, number> = {
  submitting: 0,
  unknown: 1,
  submitted: 2,
  processing: 3,
  succeed: 4,
  failed: 4,
};

export function isTerminal(s: TaskStatus): boolean {
  return TERMINAL.includes(s);
}

// The statuses a task may be in for a move to `to` to apply (never backwards, never out of a
// terminal state).
export function sourcesFor(to: TaskStatus): TaskStatus[] {
  if (to === 'unknown') return ['submitting'];
  return ACTIVE.filter((s) => RANK[s] < RANK[to]);
}

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  return sourcesFor(to).includes(from);
}

// How long to wait before the next poll, given how long the task has existed: often early,
// rarely later (schedule: [elapsedMs, intervalMs] ascending).
export function pollIntervalMs(elapsedMs: number, schedule: ReadonlyArray<readonly [number, number]>): number {
  let interval = schedule[0][1];
  for (const [at, every] of schedule) if (elapsedMs >= at) interval = every;
  return interval;
}

export type PollSchedule = ReadonlyArray<readonly [number, number]>;

// A schedule as stored on a task: "age:interval,…" in ms (the POLL_SCHEDULE_MS format).
export function formatSchedule(schedule: PollSchedule): string {
  return schedule.map(([at, every]) => `${at}:${every}`).join(',');
}

const parsed = new Map<string, PollSchedule>();

// Tasks share a handful of schedules, so each text is parsed once per process.
export function parseSchedule(text: string): PollSchedule {
  let schedule = parsed.get(text);
  if (!schedule) {
    schedule = text.split(',').map((step) => {
      const [at, every] = step.split(':').map(Number);
      return [at, every] as const;
    });
    if (parsed.size < 1000) parsed.set(text, schedule);
  }
  return schedule;
}
