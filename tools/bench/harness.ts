import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, freePort, waitHealthy } from '../common/http-client';
import { FreshDatabase } from '../common/fresh-database';

const DIST = join(__dirname, '..', '..');
export const ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password' };
export const APP_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export interface Proc {
  url: string;
  pid: number;
  rssMb(): number;
  stop(): Promise<void>;
}

// Reelay as its own process on `db`, the way it runs in production (LOG_LEVEL warn).
export async function startReelay(
  db: FreshDatabase,
  env: Record<string, string>,
  opts: { cpuProfDir?: string } = {},
): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
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
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return started(proc, url, '/health');
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
  return { url, pid, rssMb: () => rssMb(pid), stop };
}

// Resident memory of a process, from /proc (Linux).
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
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
    password: 'bench-user-password',
  });
  await call(reelay, 'POST', `/api/admin/users/${user.user.id}/credits`, admin.access_token, {
    amount: credits,
    reason: 'benchmark',
  });
  const { key } = await call<{ key: string }>(reelay, 'POST', '/api/tokens', user.access_token, { name: 'bench' });
  return { adminJwt: admin.access_token, userId: user.user.id, userJwt: user.access_token, apiKey: key };
}
