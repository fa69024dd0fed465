import { afterEach, describe, expect, it } from 'vitest';
import { keepScrollRegionsFocusable, makeFocusable } from './scroll-regions';

describe('scroll regions', () => {
  let observer: MutationObserver | undefined;
  afterEach(() => {
    observer?.disconnect();
    document.body.innerHTML = '';
  });

  it('makes existing table scroll containers focusable and leaves an explicit tabindex alone', () => {
    document.body.innerHTML =
      '<div class="ant-table-content"></div><div class="ant-table-body" tabindex="-1"></div><div class="other"></div>';
    makeFocusable(document);
    expect(document.querySelector('.ant-table-content')?.getAttribute('tabindex')).toBe('0');
    expect(document.querySelector('.ant-table-body')?.getAttribute('tabindex')).toBe('-1');
    expect(document.querySelector('.other')?.hasAttribute('tabindex')).toBe(false);
  });

  it('makes containers rendered later focusable, nested or not', async () => {
    observer = keepScrollRegionsFocusable(document);
    const wrapper = document.createElement('section');
    wrapper.innerHTML = '<div><div class="ant-table-content"></div></div>';
    document.body.appendChild(wrapper);
    const direct = document.createElement('div');
    direct.className = 'ant-table-body';
    document.body.appendChild(direct);
    await new Promise((r) => setTimeout(r, 0));
    expect(wrapper.querySelector('.ant-table-content')?.getAttribute('tabindex')).toBe('0');
    expect(direct.getAttribute('tabindex')).toBe('0');
  });
});
