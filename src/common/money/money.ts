// Conversions between credits (what users buy and see) and quota units (what is stored).

export function quotaToCredits(quota: number, quotaPerCredit: number): number {
  // Exact for the display: quotaPerCredit is a power of ten, so this is a decimal shift.
  return Number((quota / quotaPerCredit).toFixed(Math.round(Math.log10(quotaPerCredit))));
}

// Returns null when `credits` has more decimals than one quota unit can hold.
export function creditsToQuota(credits: number, quotaPerCredit: number): number | null {
  const scaled = credits * quotaPerCredit;
  const rounded = Math.round(scaled);
  if (!Number.isFinite(scaled) || Math.abs(scaled - rounded) > 1e-6 || !Number.isSafeInteger(rounded)) return null;
  return rounded;
}
