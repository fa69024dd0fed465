import {
  divRoundHalfUp,
  FixedRule,
  FormulaRule,
  quote,
  SEED_ASPECT_MULTIPLIERS,
  SEED_KIND_MULTIPLIERS,
} from '../../src/billing/pricing';
import { creditsToQuota, quotaToCredits } from '../../src/common/money/money';
import { seedPrices } from '../../migrations/1732200000000-CreateBilling';

const QPC = 1000;
const rules = Object.fromEntries(seedPrices().map((p) => [p.model, p.rule])) as Record<string, FormulaRule | FixedRule>;
const credits = (model: string, req: Parameters<typeof quote>[1]) => {
  const r = quote(rules[model], req);
  if (!r.ok) throw new Error(r.message);
  return quotaToCredits(r.quota, QPC);
};

describe('quote()', () => {
  it.each([
    // The examples.
    ['kling-v1-5-std', 'text2video', 5, '16:9', 60],
    ['kling-v1-5-pro', 'image2video', 10, '1:1', 220],
    ['kling-v1-6-pro', 'multi-image2video', 10, '21:9', 405.6],
    // Seed 000: every base price at 5 s and 1:1 text2video is the base itself.
    ['kling-v1-5-std', 'text2video', 5, '1:1', 50],
    ['kling-v1-5-pro', 'text2video', 5, '1:1', 100],
    ['kling-v1-6-std', 'text2video', 5, '1:1', 60],
    ['kling-v1-6-pro', 'text2video', 5, '1:1', 120],
    // Each aspect multiplier.
    ['kling-v1-6-std', 'text2video', 5, '9:16', 72],
    ['kling-v1-6-std', 'text2video', 5, '9:21', 78],
    ['kling-v1-6-std', 'text2video', 5, '21:9', 78],
    // Each request-type multiplier, and the duration factor.
    ['kling-v1-6-std', 'image2video', 5, '1:1', 66],
    ['kling-v1-6-std', 'omni-video', 5, '1:1', 72],
    ['kling-v1-6-std', 'multi-image2video', 5, '1:1', 78],
    ['kling-v1-6-std', 'text2video', 10, '1:1', 120],
    ['kling-v1-5-pro', 'omni-video', 10, '16:9', 288],
  ])('%s %s %ss %s → %s credits', (model, kind, duration, aspectRatio, expected) => {
    expect(credits(model, { kind, duration, aspectRatio })).toBe(expected);
  });

  it.each([
    ['veo3', undefined, undefined, 15],
    ['sora-2', '720p', 10, 15],
    ['sora-2', '720p', 15, 20],
    ['sora-2-pro', '720p', 10, 45],
    ['sora-2-pro', '720p', 15, 60],
    ['sora-2-pro', '1080p', 10, 100],
    ['sora-2-pro', '1080p', 15, 130],
  ])('fixed table: %s %s %ss → %s credits', (model, resolution, duration, expected) => {
    expect(credits(model, { resolution, duration })).toBe(expected);
  });

  it('uses the Kling defaults (5 s, 16:9, text2video) when the request leaves them out', () => {
    expect(credits('kling-v1-5-std', {})).toBe(60);
  });

  it('names the field when a combination has no price', () => {
    expect(quote(rules['sora-2'], { resolution: '1080p', duration: 10 })).toMatchObject({
      ok: false,
      field: 'resolution',
    });
    expect(quote(rules['sora-2'], { resolution: '720p', duration: 12 })).toMatchObject({
      ok: false,
      field: 'duration',
    });
    expect(quote(rules['kling-v1-6-std'], { aspectRatio: '4:3' })).toMatchObject({ ok: false, field: 'aspect_ratio' });
    expect(quote(rules['kling-v1-6-std'], { kind: 'lip-sync' })).toMatchObject({ ok: false, field: 'kind' });
    expect(quote(rules['kling-v1-6-std'], { duration: 0 })).toMatchObject({ ok: false, field: 'duration' });
  });

  it('rounds once, half up, at the end', () => {
    const rule: FormulaRule = {
      scheme: 'kling_formula',
      baseQuota: 1,
      perSeconds: 5,
      aspectMultipliers: { x: 1500 },
      kindMultipliers: { k: 1000 },
      defaultDuration: 5,
      defaultAspectRatio: 'x',
    };
    expect(quote(rule, { kind: 'k', duration: 5 })).toMatchObject({ quota: 2 }); // 1.5 → 2
    expect(quote(rule, { kind: 'k', duration: 3 })).toMatchObject({ quota: 1 }); // 0.9 → 1
    expect(quote(rule, { kind: 'k', duration: 1 })).toMatchObject({ quota: 0 }); // 0.3 → 0
    expect(divRoundHalfUp(5n, 2n)).toBe(3);
    expect(divRoundHalfUp(7n, 4n)).toBe(2);
    expect(divRoundHalfUp(5n, 4n)).toBe(1);
  });

  it('seeds the multipliers of seed 000', () => {
    expect(SEED_ASPECT_MULTIPLIERS).toEqual({ '16:9': 1200, '9:16': 1200, '1:1': 1000, '21:9': 1300, '9:21': 1300 });
    expect(SEED_KIND_MULTIPLIERS).toEqual({
      text2video: 1000,
      image2video: 1100,
      'omni-video': 1200,
      'multi-image2video': 1300,
    });
  });
});

describe('money', () => {
  it('converts exactly between credits and quota', () => {
    expect(creditsToQuota(405.6, QPC)).toBe(405600);
    expect(creditsToQuota(0.1, QPC)).toBe(100);
    expect(creditsToQuota(-12.345, QPC)).toBe(-12345);
    expect(creditsToQuota(0.0001, QPC)).toBeNull();
    expect(quotaToCredits(405600, QPC)).toBe(405.6);
    expect(quotaToCredits(1, QPC)).toBe(0.001);
  });
});
