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
  windowed?: boolean; // only the samples taken during the load (absent from results recorded before)
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime?: number;
  samples?: number[];
  timeDeltas?: number[];
}

// A stretch of time on the process.hrtime clock, in µs: on Linux both that and V8's profile
// timestamps read CLOCK_MONOTONIC, so a load timed by the bench picks out the profiled process's samples.
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

export function hrtimeUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

// Where a busy Reelay spends its CPU: self time from a V8 .cpuprofile, by package or Reelay
// module, and the heaviest functions. Idle time is left out of the percentages; with a window,
// so is everything outside it (start-up and shutdown).
export function summarizeProfile(dir: string, window?: ProfileWindow): ProfileSummary {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const hits = window ? hitsWithin(profile, window) : null;
  const hitsOf = (n: ProfileNode) => (hits ? (hits.get(n.id) ?? 0) : (n.hitCount ?? 0));
  const busy = profile.nodes.filter((n) => n.callFrame.functionName !== '(idle)' && hitsOf(n) > 0);
  const total = busy.reduce((s, n) => s + hitsOf(n), 0);
  const pct = (v: number) => Math.round((v * 1000) / total) / 10;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; hits: number }>();
  for (const n of busy) {
    const area = areaOf(n.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + hitsOf(n));
    const where = `${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    const key = `${n.callFrame.functionName}@${where}`;
    const f = fns.get(key) ?? { fn: n.callFrame.functionName || '(anonymous)', where, hits: 0 };
    f.hits += hitsOf(n);
    fns.set(key, f);
  }
  return {
    samples: total,
    ...(window ? { windowed: true } : {}),
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

// Samples per node taken within the window (each sample's time: the profile's start plus the
// deltas so far).
function hitsWithin(profile: CpuProfile, window: ProfileWindow): Map<number, number> {
  const { startTime, samples, timeDeltas } = profile;
  if (startTime === undefined || !samples || !timeDeltas) throw new Error('the profile has no sample times');
  const hits = new Map<number, number>();
  let t = startTime;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    if (t >= window.fromUs && t <= window.toUs) hits.set(samples[i], (hits.get(samples[i]) ?? 0) + 1);
  }
  return hits;
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
