// Every label value Reelay exports comes from a closed list or from a capped set, so no id (task,
// user, request) and no caller-chosen string can grow the number of series without bound.

export const OTHER = 'other';

// The same lists as the feature modules' (a unit test keeps them equal); kept here so metrics
// imports nothing from the modules that report to it.
export const PROVIDERS = ['kling', 'kie', 'viva'] as const;
export const PLANS = ['free', 'pro', 'pro_plus', 'enterprise'] as const;
export const BATCH_ITEM_STATUSES = [
  'queued',
  'dispatching',
  'running',
  'retry_wait',
  'succeed',
  'failed',
  'cancelled',
] as const;
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export type Provider = (typeof PROVIDERS)[number];
export type Plan = (typeof PLANS)[number];
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

// A value from a closed list, or `other`.
export function oneOf<T extends string>(allowed: readonly T[], value: string | null | undefined): T | typeof OTHER {
  return value !== null && value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : OTHER;
}

const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

// An open label (model names, channel ids): the first `max` distinct well-formed values pass, every
// later one is reported as `other`. The set lives as long as the process, like the series do.
export class CappedLabel {
  private readonly seen = new Set<string>();

  constructor(readonly max: number) {}

  value(raw: string | number | null | undefined): string {
    const v = raw === null || raw === undefined ? '' : String(raw);
    if (!SAFE_VALUE.test(v)) return OTHER;
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(v);
    return v;
  }
}

// HTTP status as a label: the code, or `other` for anything outside 100–599.
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}
