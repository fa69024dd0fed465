import type { components } from '../api/schema';

type Price = components['schemas']['PriceDto'];

// A price rule typed as JSON in the prices editor. The server validates every field again.
export function parsePriceRule(
  json: string,
  model: string,
): { rule: Price } | { error: 'modelRequired' | 'invalidJson' | 'notObject' | 'badScheme' } {
  if (!model) return { error: 'modelRequired' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: 'invalidJson' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'notObject' };
  const rule = { ...(value as Record<string, unknown>), model } as Price;
  if (rule.scheme !== 'kling_formula' && rule.scheme !== 'fixed') return { error: 'badScheme' };
  return { rule };
}
