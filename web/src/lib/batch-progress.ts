// Batch counts arrive as a map of item status → count.
export function countOf(counts: Record<string, unknown>, status: string): number {
  const v = counts[status];
  return typeof v === 'number' ? v : 0;
}

export const FINISHED_ITEM = ['succeed', 'failed', 'cancelled'];

export function finishedCount(counts: Record<string, unknown>): number {
  return FINISHED_ITEM.reduce((n, s) => n + countOf(counts, s), 0);
}
