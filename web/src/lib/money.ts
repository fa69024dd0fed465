// Credits arrive as decimals the server derived from integer quota units (405.6, 0.001). The
// console shows exactly that number: digits grouped by thousands (as both zh-CN and English
// write them), never rounded, never padded.
export function formatCredits(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = plainDecimal(value);
  const negative = text.startsWith('-');
  const [int, frac] = (negative ? text.slice(1) : text).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

// A signed amount for ledgers: "+50", "-405.6", "0".
export function formatSignedCredits(value: number): string {
  return value > 0 ? `+${formatCredits(value)}` : formatCredits(value);
}

// Yuan from fen (integers), for package prices: 4900 → "49.00".
export function formatYuanFromFen(fen: number): string {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// String(1e-7) is "1e-7": expand exponents so every digit the number has is written out.
function plainDecimal(value: number): string {
  const s = String(value);
  if (!/e/i.test(s)) return s;
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

// Σ price × count over decimals the API gave, without binary rounding (0.1 × 3 is 0.3, not
// 0.30000000000000004): every term is scaled to an integer first.
export function sumCredits(terms: Array<{ credits: number; count: number }>): number {
  const decimals = Math.max(0, ...terms.map((t) => (plainDecimal(t.credits).split('.')[1] ?? '').length));
  const scale = 10n ** BigInt(decimals);
  const total = terms.reduce((acc, t) => acc + toScaled(t.credits, decimals) * BigInt(t.count), 0n);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const int = abs / scale;
  const frac = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return Number(`${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`);
}

function toScaled(value: number, decimals: number): bigint {
  const [int, frac = ''] = plainDecimal(value).replace('-', '').split('.');
  const scaled = BigInt(int + frac.padEnd(decimals, '0'));
  return value < 0 ? -scaled : scaled;
}
