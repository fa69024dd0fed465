// Wide tables scroll sideways inside Ant Design's `.ant-table-content`/`.ant-table-body`; a
// keyboard user can only scroll a region that takes focus (WCAG 2.1.1, axe's
// scrollable-region-focusable). Ant Design has no prop for it, so every such region that appears
// is made focusable here, once, for the whole console.
const SCROLL_REGIONS = '.ant-table-content, .ant-table-body';

export function makeFocusable(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>(SCROLL_REGIONS).forEach((el) => {
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
  });
}

export function keepScrollRegionsFocusable(doc: Document): MutationObserver {
  makeFocusable(doc);
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      r.addedNodes.forEach((n) => {
        if (n instanceof HTMLElement) {
          if (n.matches(SCROLL_REGIONS) && !n.hasAttribute('tabindex')) n.setAttribute('tabindex', '0');
          makeFocusable(n);
        }
      });
    }
  });
  observer.observe(doc.body, { childList: true, subtree: true });
  return observer;
}
