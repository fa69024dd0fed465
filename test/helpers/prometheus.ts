export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// The Prometheus text format, one sample per line: name{label="value",...} number
export function parsePrometheus(text: string): Series[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

export const named = (all: Series[], name: string) => all.filter((s) => s.name === name);

// The sum of a family's samples whose labels include `labels`.
export function sumOf(all: Series[], name: string, labels: Record<string, string> = {}): number {
  return named(all, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
