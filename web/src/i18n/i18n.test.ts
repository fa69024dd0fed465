// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { en } from './en';
import { zhCN } from './zh-CN';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('zh-CN and English', () => {
  it('have exactly the same keys, and no empty text', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const k of keys(zhCN))
      expect({ k, text: k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN) }).not.toEqual({
        k,
        text: '',
      });
  });

  it('know every key the console asks for', () => {
    const known = new Set(keys(en));
    const prefixes = new Set(keys(en).map((k) => k.slice(0, k.lastIndexOf('.') + 1)));
    const missing: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.]+)'/g))
        if (!known.has(m[1])) missing.push(`${file}: ${m[1]}`);
      for (const m of text.matchAll(/titleKey: '([A-Za-z0-9_.]+)'/g))
        if (!known.has(m[1])) missing.push(`${file}: ${m[1]}`);
      // Keys built from a value (`status.${s}`) need their prefix to exist.
      for (const m of text.matchAll(/\bt\(\s*`([A-Za-z0-9_.]+)\$\{/g)) {
        const prefix = m[1].endsWith('.') ? m[1] : `${m[1].slice(0, m[1].lastIndexOf('.') + 1)}`;
        if (!prefixes.has(prefix)) missing.push(`${file}: ${m[1]}…`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('name every status, plan, role and ledger entry the API returns', () => {
    const statuses = [
      'active',
      'disabled',
      'enabled',
      'auto_disabled',
      'revoked',
      'submitting',
      'unknown',
      'submitted',
      'processing',
      'succeed',
      'failed',
      'queued',
      'dispatching',
      'running',
      'retry_wait',
      'cancelled',
      'paused',
      'completed',
      'pending',
      'paid',
      'closed',
    ];
    for (const s of statuses) expect(Object.keys(en.status)).toContain(s);
    expect(Object.keys(en.plan).sort()).toEqual(['enterprise', 'free', 'pro', 'pro_plus']);
    expect(Object.keys(en.ledger).sort()).toEqual(['adjustment', 'capture', 'hold', 'release', 'topup']);
  });
});
