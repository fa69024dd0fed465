// Pure pricing rules. Money is integer quota units; multipliers are integers in thousandths
// (1.2 → 1200), so every price is computed with integers and rounded once, half up.

export const MULTIPLIER_SCALE = 1000;

export const REQUEST_KINDS = ['text2video', 'image2video', 'omni-video', 'multi-image2video'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

// Seed 000: price = base × (duration / 5) × aspect multiplier × request-type multiplier.
export interface FormulaRule {
  scheme: 'kling_formula';
  baseQuota: number; // price of `perSeconds` seconds at multiplier 1
  perSeconds: number;
  aspectMultipliers: Record<string, number>; // thousandths
  kindMultipliers: Record<string, number>; // thousandths
  defaultDuration: number;
  defaultAspectRatio: string;
}

// Seeds 003/004: a fixed price per (resolution, duration); null matches anything.
export interface FixedEntry {
  resolution: string | null;
  duration: number | null;
  quota: number;
}

export interface FixedRule {
  scheme: 'fixed';
  entries: FixedEntry[];
  // What a request that does not say gets (e.g. Sora 2: 720p, 10 s).
  defaultResolution: string | null;
  defaultDuration: number | null;
}

export type PriceRule = FormulaRule | FixedRule;

export interface QuoteRequest {
  kind?: string;
  duration?: number;
  aspectRatio?: string;
  resolution?: string;
}

export type QuoteResult =
  | { ok: true; quota: number; duration: number | null; aspectRatio: string | null; resolution: string | null }
  | { ok: false; field: 'kind' | 'duration' | 'aspect_ratio' | 'resolution'; message: string };

export const SEED_ASPECT_MULTIPLIERS: Record<string, number> = {
  '16:9': 1200,
  '9:16': 1200,
  '1:1': 1000,
  '21:9': 1300,
  '9:21': 1300,
};

export const SEED_KIND_MULTIPLIERS: Record<RequestKind, number> = {
  text2video: 1000,
  image2video: 1100,
  'omni-video': 1200,
  'multi-image2video': 1300,
};

// A multiplier table is a plain object from JSON: only its own keys are prices ("constructor" or
// "toString" must not find Object.prototype's functions).
function own(table: Record<string, number>, key: string): number | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function quote(rule: PriceRule, req: QuoteRequest): QuoteResult {
  return rule.scheme === 'kling_formula' ? quoteFormula(rule, req) : quoteFixed(rule, req);
}

function quoteFormula(rule: FormulaRule, req: QuoteRequest): QuoteResult {
  const kind = req.kind ?? 'text2video';
  const kindM = own(rule.kindMultipliers, kind);
  if (kindM === undefined) return { ok: false, field: 'kind', message: `no price for request kind ${kind}` };
  const aspectRatio = req.aspectRatio ?? rule.defaultAspectRatio;
  const aspectM = own(rule.aspectMultipliers, aspectRatio);
  if (aspectM === undefined) {
    return { ok: false, field: 'aspect_ratio', message: `no price for aspect ratio ${aspectRatio}` };
  }
  const duration = req.duration ?? rule.defaultDuration;
  if (!Number.isInteger(duration) || duration <= 0) {
    return { ok: false, field: 'duration', message: 'must be a positive whole number of seconds' };
  }
  const numerator = BigInt(rule.baseQuota) * BigInt(duration) * BigInt(aspectM) * BigInt(kindM);
  const denominator = BigInt(rule.perSeconds) * BigInt(MULTIPLIER_SCALE) * BigInt(MULTIPLIER_SCALE);
  return { ok: true, quota: divRoundHalfUp(numerator, denominator), duration, aspectRatio, resolution: null };
}

function quoteFixed(rule: FixedRule, req: QuoteRequest): QuoteResult {
  const resolution = req.resolution ?? rule.defaultResolution;
  const duration = req.duration ?? rule.defaultDuration;
  // The most specific entry wins: exact on both, then on one, then the catch-all.
  const candidates = rule.entries
    .filter(
      (e) => (e.resolution === null || e.resolution === resolution) && (e.duration === null || e.duration === duration),
    )
    .sort((a, b) => specificity(b) - specificity(a));
  const hit = candidates[0];
  if (!hit) {
    const field = rule.entries.some((e) => e.resolution === resolution || e.resolution === null)
      ? 'duration'
      : 'resolution';
    const offered = rule.entries.map((e) => `${e.resolution ?? 'any'}/${e.duration ?? 'any'}s`).join(', ');
    return {
      ok: false,
      field,
      message: `no price for ${resolution ?? 'default'} resolution, ${duration ?? 'default'} s (priced: ${offered})`,
    };
  }
  return {
    ok: true,
    quota: hit.quota,
    duration: hit.duration ?? duration,
    aspectRatio: req.aspectRatio ?? null,
    resolution: hit.resolution ?? resolution,
  };
}

const specificity = (e: FixedEntry) => (e.resolution !== null ? 2 : 0) + (e.duration !== null ? 1 : 0);

// Non-negative integer division rounded half up (the one rounding step of every price).
export function divRoundHalfUp(n: bigint, d: bigint): number {
  return Number((n * 2n + d) / (d * 2n));
}
