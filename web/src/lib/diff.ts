export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

// Every leaf that differs between two JSON documents, by dotted path ("plans.pro.concurrency").
export function diffJson(before: unknown, after: unknown, path = ''): Change[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffJson(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '(root)', before, after }];
}
