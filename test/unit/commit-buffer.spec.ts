import { powerOfTwoChunks } from '../../src/common/database/commit-buffer';

describe('powerOfTwoChunks', () => {
  it('cuts a list into power-of-two chunks, largest first, in order', () => {
    const items = Array.from({ length: 37 }, (_, i) => i);
    const chunks = powerOfTwoChunks(items);
    expect(chunks.map((c) => c.length)).toEqual([32, 4, 1]);
    expect(chunks.flat()).toEqual(items);
  });

  it('caps a chunk at the maximum and handles none and one', () => {
    expect(
      powerOfTwoChunks(
        Array.from({ length: 150 }, (_, i) => i),
        64,
      ).map((c) => c.length),
    ).toEqual([64, 64, 16, 4, 2]);
    expect(powerOfTwoChunks([])).toEqual([]);
    expect(powerOfTwoChunks(['a'])).toEqual([['a']]);
  });
});
