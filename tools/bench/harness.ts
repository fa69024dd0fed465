import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { call, freePort, waitHealthy } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';
import { listeningPids } from '../common/proc-sockets';
import { portSharing } from '../../src/common/cluster/worker-listen';

const DIST = join(__dirname, '..', '..');
export const ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password' };
export const APP_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export interface Proc {
  url: string;
  pid: number;
  rssMb(): number; // the process and its children (cluster workers)
  cpuMs(): number; // user + system CPU so far, the process and its children
  stop(): Promise<void>;
}

// Reelay as its own process on `db`, the way it runs in production (LOG_LEVEL warn).
export async function startReelay(
  db: FreshDatabase,
  env: Record<string, string>,
  opts: { cpuProfDir?: string; nodeArgs?: string[] } = {},
): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_REELAY_PROF_DIR profiles every Reelay the bench starts (to see where any workload's CPU goes).
  const profDir = opts.cpuProfDir ?? process.env.BENCH_REELAY_PROF_DIR;
  const args = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(opts.nodeArgs ?? [])];
  const proc = spawn(process.execPath, [...args, join(DIST, 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      APP_SECRET,
      SERVER_ADDRESS: url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      // The simulators listen on loopback; the load generator is one client at one address with
      // a handful of keys, far past any production limit.
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000000',
      RATE_LIMIT_API_KEY_PER_MINUTE: '100000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const reelay = await started(proc, url, '/health');
  const workers = env.WORKERS === 'auto' ? availableParallelism() : Number(env.WORKERS ?? '1');
  if (workers > 1) await everyWorkerListening(reelay, port, workers);
  return reelay;
}

// With WORKERS above 1, /health answers once worker 1 serves: the primary forks the others only
// after it (it runs the migrations). Load started then lands on worker 1 alone and keeps its
// connections there, so wait until each worker holds its own listening socket (SO_REUSEPORT).
async function everyWorkerListening(reelay: Proc, port: number, workers: number): Promise<void> {
  if (portSharing() !== 'reuseport') {
    await reelay.stop();
    throw new Error(`WORKERS>1 in the bench needs SO_REUSEPORT (Node >= 22.12 on Linux); this is ${process.version}`);
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listening = listeningPids(port, processTree(reelay.pid)).filter((pid) => pid !== reelay.pid);
    if (listening.length >= workers) return;
    if (Date.now() > deadline) {
      await reelay.stop();
      throw new Error(`${listening.length} of ${workers} Reelay workers listening after 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A simulator (kling or kie) as its own process, so the load generator and the upstream do not
// share an event loop.
export async function startSimulator(name: 'kling' | 'kie', keys: string): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const prefix = name === 'kling' ? 'KLING_SIM' : 'KIE_SIM';
  const proc = spawn(process.execPath, [join(DIST, 'tools', 'simulators', name, 'main.js')], {
    env: { ...process.env, PORT: String(port), [`${prefix}_KEYS`]: keys },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return started(proc, url, '/__control/stats');
}

async function started(proc: ChildProcess, url: string, healthPath: string): Promise<Proc> {
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const pid = proc.pid as number;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  try {
    await waitHealthy(url, healthPath);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, pid, rssMb: () => treeRssMb(pid), cpuMs: () => treeCpuMs(pid), stop };
}

// Linux's USER_HZ: /proc reports CPU time in ticks of 1/100 s on every mainstream kernel.
const CLOCK_TICKS = 100;

// One /proc/<pid>/stat line: fields after the parenthesised command name (which may hold spaces).
function statFields(pid: number): string[] | null {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line.slice(line.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // exited between listing and reading
  }
}

// The process and every live descendant (WORKERS>1 forks cluster workers).
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (!f) continue;
    const ppid = Number(f[1]); // field 4 of stat
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

// CPU time (user + system, ms) of a process tree: utime and stime are stat fields 14 and 15.
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

// Resident memory of a process tree, from /proc (Linux).
export function treeRssMb(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // exited meanwhile
    }
  }
  return Math.round(kb / 1024);
}

// Runs `work` and returns its result with the CPU Reelay (the tree under `proc`) spent meanwhile.
export async function withCpu<T>(proc: Proc, work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const c0 = proc.cpuMs();
  const result = await work();
  return { result, cpuMs: proc.cpuMs() - c0 };
}

export interface Tenant {
  adminJwt: string;
  userId: number;
  userJwt: string;
  apiKey: string;
}

// An admin with a channel to `simUrl`, and a user with credits and an API key.
export async function setUpTenant(
  reelay: string,
  channel: { type: 'kling' | 'kie'; baseUrl: string; key: string; models: string[] },
  credits: number,
): Promise<Tenant> {
  const admin = await call<{ access_token: string }>(reelay, 'POST', '/api/auth/login', ADMIN);
  await call(reelay, 'POST', '/api/admin/channels', admin.access_token, {
    name: `${channel.type} (simulator)`,
    type: channel.type,
    base_url: channel.baseUrl,
    key: channel.key,
    models: channel.models,
  });
  const user = await call<{ access_token: string; user: { id: number } }>(reelay, 'POST', '/api/auth/register', {
    email: 'bench@example.com',
    password: 'amber-ladder-73-reed',
  });
  await call(reelay, 'POST', `/api/admin/users/${user.user.id}/credits`, admin.access_token, {
    amount: credits,
    reason: 'benchmark',
  });
  const { key } = await call<{ key: string }>(reelay, 'POST', '/api/tokens', user.access_token, { name: 'bench' });
  return { adminJwt: admin.access_token, userId: user.user.id, userJwt: user.access_token, apiKey: key };
}
