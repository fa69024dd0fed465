import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CONSOLE_DIST = join(ROOT, 'web', 'dist');
const LOCK = join(ROOT, 'web', '.build-lock');

function newestMtime(dir: string): number {
  return readdirSync(dir).reduce((max, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return Math.max(max, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }, 0);
}

function isCurrent(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(newestMtime(join(ROOT, 'web', 'src')), statSync(join(ROOT, 'web', 'index.html')).mtimeMs);
  return statSync(index).mtimeMs >= sources;
}

// The browser and bundle tests run against the built console. `npm run build` (CI) builds it; on a
// fresh clone, or after web/src changed, the first suite that needs it builds it (one at a time).
export async function ensureConsoleBuilt(): Promise<void> {
  for (const deadline = Date.now() + 180_000; ;) {
    if (isCurrent()) return;
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() > deadline) throw new Error(`console build lock ${LOCK} held too long; remove it`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!isCurrent()) {
        execFileSync(
          process.execPath,
          [
            join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
            'build',
            '--config',
            'web/vite.config.mts',
            '--logLevel',
            'warn',
          ],
          { cwd: ROOT, stdio: 'inherit' },
        );
      }
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
