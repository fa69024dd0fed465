import { formatCredits, formatSignedCredits, formatYuanFromFen, sumCredits } from './money';

describe('credits are shown exactly as the API gives them', () => {
  it.each([
    [405.6, '405.6'],
    [0.001, '0.001'],
    [50, '50'],
    [0, '0'],
    [1234567.891, '1,234,567.891'],
    [-2.5, '-2.5'],
    [1000, '1,000'],
    [0.0000001, '0.0000001'],
  ])('%s → %s (never rounded, never padded)', (value, shown) => {
    expect(formatCredits(value)).toBe(shown);
  });

  it('signs ledger amounts', () => {
    expect(formatSignedCredits(50)).toBe('+50');
    expect(formatSignedCredits(-405.6)).toBe('-405.6');
    expect(formatSignedCredits(0)).toBe('0');
  });

  it('sums price × count without binary rounding', () => {
    expect(0.1 * 3).not.toBe(0.3);
    expect(sumCredits([{ credits: 0.1, count: 3 }])).toBe(0.3);
    expect(
      sumCredits([
        { credits: 405.6, count: 2 },
        { credits: 0.001, count: 7 },
      ]),
    ).toBe(811.207);
    expect(
      sumCredits([
        { credits: 7.5, count: 4 },
        { credits: 15, count: 1 },
      ]),
    ).toBe(45);
    expect(sumCredits([])).toBe(0);
  });

  it('writes yuan from integer fen', () => {
    expect(formatYuanFromFen(4900)).toBe('49.00');
    expect(formatYuanFromFen(1)).toBe('0.01');
    expect(formatYuanFromFen(29999)).toBe('299.99');
  });
});
