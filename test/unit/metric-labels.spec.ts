import { USER_PLANS } from '../../src/common/auth/auth-user';
import { ITEM_STATUSES } from '../../src/batch/batch.entity';
import { CHANNEL_TYPES } from '../../src/providers/channel-types';
import {
  BATCH_ITEM_STATUSES,
  CappedLabel,
  oneOf,
  PLANS,
  PROVIDERS,
  statusLabel,
} from '../../src/metrics/metric-labels';

describe('metric labels stay bounded', () => {
  it('uses the same closed lists as the modules that report (providers, plans, batch item statuses)', () => {
    expect([...PROVIDERS]).toEqual([...CHANNEL_TYPES]);
    expect([...PLANS]).toEqual([...USER_PLANS]);
    expect([...BATCH_ITEM_STATUSES]).toEqual([...ITEM_STATUSES]);
  });

  it('reports a value outside a closed list as "other"', () => {
    expect(oneOf(PROVIDERS, 'kie')).toBe('kie');
    expect(oneOf(PROVIDERS, 'KIE')).toBe('other');
    expect(oneOf(PROVIDERS, undefined)).toBe('other');
  });

  it('lets the first N distinct values of an open label through, then reports "other"', () => {
    const label = new CappedLabel(3);
    expect(['a', 'b', 'a', 'c'].map((v) => label.value(v))).toEqual(['a', 'b', 'a', 'c']);
    expect(label.value('d')).toBe('other');
    expect(label.value('b')).toBe('b'); // already known values keep their series
    expect(label.value(7)).toBe('other');
  });

  it('refuses values no label should carry (spaces, quotes, very long, empty)', () => {
    const label = new CappedLabel(100);
    for (const bad of ['', 'two words', 'quo"te', 'x'.repeat(65), '-leading', null]) {
      expect(label.value(bad)).toBe('other');
    }
    expect(label.value('kling-v2-1-master')).toBe('kling-v2-1-master');
    expect(label.value(12)).toBe('12');
  });

  it('labels HTTP statuses by code, anything else as "other"', () => {
    expect(statusLabel(404)).toBe('404');
    expect(statusLabel(0)).toBe('other');
    expect(statusLabel(1000)).toBe('other');
  });
});
