import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  samples: number;
  byArea: Array<{ area: string; pct: number }>;
  topFunctions: Array<{ fn: string; where: string; pct: number }>;
}

// Where a busy Reelay spends its CPU: self time from a V8 .cpuprofile, by package or Reelay
// module, and the heaviest functions. Idle time is left out of the percentages.
export function summarizeProfile(dir: string): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const nodes = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] }).nodes;
  const busy = nodes.filter((n) => n.callFrame.functionName !== '(idle)' && (n.hitCount ?? 0) > 0);
  const total = busy.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const pct = (v: number) => Math.round((v * 1000) / total) / 10;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; hits: number }>();
  for (const n of busy) {
    const area = areaOf(n.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + (n.hitCount ?? 0));
    const where = `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const key = `${n.callFrame.functionName}@${where}`;
    const f = fns.get(key) ?? { fn: n.callFrame.functionName || '(anonymous)', where, hits: 0 };
    f.hits += n.hitCount ?? 0;
    fns.set(key, f);
  }
  return {
    samples: total,
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([area, hits]) => ({ area, pct: pct(hits) })),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 15)
      .map((f) => ({ fn: f.fn, where: f.where, pct: pct(f.hits) })),
  };
}

function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const mod = /dist\/src\/([^/]+)/.exec(url);
  if (mod) return `reelay/${mod[1].replace(/\.js$/, '')}`;
  return url;
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const j = url.indexOf('dist/');
  return j >= 0 ? url.slice(j + 'dist/'.length) : url;
}
