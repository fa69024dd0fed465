import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The module map the README draws, checked from the imports themselves: dependencies point one way
// (no cycles between modules), `common/` and `config/` use no feature, no module hides a dependency
// behind a re-export, and nothing needs forwardRef.
const SRC = resolve(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

// A module is a folder under src/; the relay's core and each of its edges count as their own.
function moduleOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts.length === 1) return '(root)';
  return parts[0] === 'relay' && parts.length > 2 ? `relay/${parts[1]}` : parts[0];
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+'([^']+)'/g)].map((m) => m[1]);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s))
    .filter((p) => p.startsWith(SRC));
}

const files = sourceFiles(SRC);
const graph = new Map<string, Set<string>>();
for (const file of files) {
  const from = moduleOf(file);
  const deps = graph.get(from) ?? new Set<string>();
  for (const target of importsOf(file)) {
    const to = moduleOf(`${target}.ts`);
    if (to !== from) deps.add(to);
  }
  graph.set(from, deps);
}

// Tarjan's strongly connected components: any component of more than one module is a cycle.
function cycles(g: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture', () => {
  it('sees the modules the README names', () => {
    expect([...graph.keys()]).toEqual(
      expect.arrayContaining(['common', 'config', 'relay/core', 'relay/openai', 'batch', 'billing', 'providers']),
    );
  });

  it('has no dependency cycle between modules', () => {
    // common/ and config/ are one shared layer (the config is read through common's helpers and
    // common's edges read the config); every feature module must stand alone.
    const shared = (m: string) => (m === 'config' ? 'common' : m);
    const features = new Map<string, Set<string>>();
    for (const [from, deps] of graph) {
      const set = features.get(shared(from)) ?? new Set<string>();
      for (const d of deps) if (shared(d) !== shared(from)) set.add(shared(d));
      features.set(shared(from), set);
    }
    expect(cycles(features)).toEqual([]);
  });

  it('keeps common/ and config/ free of features', () => {
    for (const shared of ['common', 'config']) {
      const features = [...(graph.get(shared) ?? [])].filter((m) => m !== 'common' && m !== 'config');
      expect({ module: shared, uses: features }).toEqual({ module: shared, uses: [] });
    }
  });

  it('points edges at the core, the core at billing, and never back', () => {
    const uses = (a: string, b: string) => graph.get(a)?.has(b) ?? false;
    for (const edge of ['relay/kling-compatible', 'relay/kling-native', 'relay/openai', 'relay/veo']) {
      expect({ edge, core: uses(edge, 'relay/core') }).toEqual({ edge, core: true });
      expect({ edge, fromCore: uses('relay/core', edge) }).toEqual({ edge, fromCore: false });
    }
    expect(uses('relay/core', 'billing')).toBe(true);
    expect(uses('billing', 'relay/core')).toBe(false);
    expect(uses('relay/core', 'batch')).toBe(false);
    expect(uses('payments', 'billing')).toBe(true);
    expect(uses('billing', 'payments')).toBe(false);
  });

  it('uses no forwardRef and re-exports no module', () => {
    const offenders = files.filter((f) => {
      const text = readFileSync(f, 'utf8');
      const exportsModule = /exports:\s*\[[^\]]*\b[A-Z]\w*Module\b/.test(text);
      return /\bforwardRef\(/.test(text) || exportsModule;
    });
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
