import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCurrent, sourceHash, writeStamp } from '../../tools/build/ensure-build';

// `npm start`, `npm run demo` and the simulators build only when dist/ is older than the sources.
describe('build only when stale (tools/build/ensure-build.js)', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const built = () => {
    write('dist/src/main.js', '// built');
    writeStamp(root, sourceHash(root));
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'reelay-build-'));
    write('src/main.ts', 'export const a = 1;');
    write('migrations/1-init.ts', 'export {};');
    write('tools/demo/demo.ts', 'export {};');
    write('tsconfig.json', '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds a clean clone (no dist) and a dist without a stamp', () => {
    expect(isCurrent(root)).toBe(false);
    write('dist/src/main.js', '// built by hand');
    expect(isCurrent(root)).toBe(false);
  });

  it('skips the build when nothing changed, even when a checkout touched every file', () => {
    built();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/main.ts'), later, later);
    expect(isCurrent(root)).toBe(true);
  });

  it.each([
    ['a source file edited', () => write('src/main.ts', 'export const a = 2;')],
    ['a source file added', () => write('src/metrics/metrics.service.ts', 'export {};')],
    ['a migration added', () => write('migrations/2-more.ts', 'export {};')],
    ['a tool edited', () => write('tools/demo/demo.ts', 'export const b = 1;')],
    ['the TypeScript config changed', () => write('tsconfig.json', '{"compilerOptions":{}}')],
    ['dist/ emptied by a failed build', () => rmSync(join(root, 'dist/src/main.js'))],
  ])('builds again when %s', (_what, change) => {
    built();
    change();
    expect(isCurrent(root)).toBe(false);
  });

  it('ignores what the build does not compile (tests, the Jest transformer, docs)', () => {
    built();
    write('test/unit/x.spec.ts', 'export {};');
    write('tools/jest/esm-transform.js', '// changed');
    write('docs/operations.md', '# changed');
    expect(isCurrent(root)).toBe(true);
  });
});
