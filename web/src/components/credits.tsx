import { formatCredits, formatSignedCredits } from '../lib/money';

// An amount of credits exactly as the API gave it.
export function Credits({ value, signed = false }: { value: number; signed?: boolean }) {
  return <span className="credits">{signed ? formatSignedCredits(value) : formatCredits(value)}</span>;
}
