import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../helpers/console-build';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const BUDGET_GZIP_BYTES = 350 * 1024;

// What a first visit downloads before any page: the entry chunk and everything it imports
// statically (Vite's manifest lists both).
function initialChunks(manifest: Record<string, ManifestChunk>): Set<string> {
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('no entry chunk in the manifest');
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) walk(dep);
  };
  walk(entry);
  return seen;
}

describe('the built console (web/dist)', () => {
  let manifest: Record<string, ManifestChunk>;
  let initial: Set<string>;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    manifest = JSON.parse(readFileSync(join(CONSOLE_DIST, '.vite', 'manifest.json'), 'utf8'));
    initial = initialChunks(manifest);
  }, 180_000);

  it('loads at most 350 KB of gzipped JavaScript before the first page', () => {
    const sizes = [...initial].map((k) => ({
      file: manifest[k].file,
      gzip: gzipSync(readFileSync(join(CONSOLE_DIST, manifest[k].file))).length,
    }));
    const total = sizes.reduce((n, s) => n + s.gzip, 0);
    process.stdout.write(`console initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${sizes.length} files\n`);
    expect(total).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('loads every page, the charts and the admin screens on demand only', () => {
    const pages = Object.entries(manifest).filter(([k]) => /src\/pages\//.test(k));
    expect(pages.length).toBeGreaterThanOrEqual(20);
    for (const [key, chunk] of pages)
      expect({ key, dynamic: chunk.isDynamicEntry === true, initial: initial.has(key) }).toEqual({
        key,
        dynamic: true,
        initial: false,
      });
    const initialSources = [...initial].map((k) => manifest[k].src ?? k).join('\n');
    expect(initialSources).not.toMatch(/echarts|zrender|pages\/admin/);
  });

  it('references the files the manifest names from index.html', () => {
    const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
    const entry = Object.values(manifest).find((c) => c.isEntry) as ManifestChunk;
    expect(html).toContain(`/${entry.file}`);
  });
});
