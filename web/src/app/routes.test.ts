import { matchPath } from 'react-router';
import { en } from '../i18n/en';
import { PAGES, UPCOMING_PAGES } from './routes';

describe('the route table', () => {
  it('gives every page a unique path and a title', () => {
    expect(new Set(PAGES.map((p) => p.path)).size).toBe(PAGES.length);
    for (const p of PAGES)
      expect(p.titleKey.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], en)).toEqual(
        expect.any(String),
      );
  });

  it('keeps admin pages under /admin and customer pages out of it', () => {
    for (const p of PAGES)
      expect({ path: p.path, admin: p.path.startsWith('/admin') }).toEqual({ path: p.path, admin: p.area === 'admin' });
  });

  it('never claims a path of the API surfaces (they stay JSON)', () => {
    const api = ['/api', '/docs', '/kling', '/kie', '/health', '/v1', '/media', '/metrics'];
    for (const p of PAGES)
      for (const prefix of api) expect(p.path === prefix || p.path.startsWith(`${prefix}/`)).toBe(false);
  });

  it('routes none of the pages still waiting for their API', () => {
    const waiting = UPCOMING_PAGES.map((u) => u.path).filter((path) => !path.includes(' '));
    for (const path of waiting.filter((p) => p !== '/admin'))
      expect(PAGES.some((p) => matchPath(p.path, path))).toBe(false);
    for (const u of UPCOMING_PAGES) expect(u.issue).toBeGreaterThan(0);
  });
});
