import { ChildProcess, execSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { isCurrent, sourceHash, writeStamp } from '../../tools/build/ensure-build';
import { freePort } from '../../tools/common/http-client';
import { TEST_ADMIN, TEST_APP_SECRET } from './test-app';
import { waitFor } from './wait';

const ROOT = join(__dirname, '..', '..');

export interface ReelayProcess {
  url: string;
  proc: ChildProcess;
  kill(signal?: NodeJS.Signals): void;
  // SIGKILL, resolved once the process is gone.
  kill9(): Promise<void>;
  // Everything it wrote to stdout (its JSON log lines).
  output(): string;
}

// The crash tests run the built app as real processes, so `kill -9` kills it for real. dist/ is
// rebuilt only when its sources changed since its last build (CI builds it before the suites):
// suites in the other Jest worker start processes from dist/ meanwhile, and a rebuild rewrites
// the files they are loading (a process that read a half-written one never came up).
export function buildApp(): void {
  const hash = sourceHash(ROOT);
  if (isCurrent(ROOT, hash)) return;
  execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'ignore' });
  writeStamp(ROOT, hash);
}

// `port`: listen there (a restart on the address the upstreams call back).
export async function spawnReelay(
  databaseUrl: string,
  env: Record<string, string> = {},
  port?: number,
): Promise<ReelayProcess> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      APP_SECRET: TEST_APP_SECRET,
      SERVER_ADDRESS: url,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'error',
      // The simulators listen on loopback (refused by the outbound guard unless allowed); one
      // test is one client address, far past production's per-address and per-key limits.
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost',
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000000',
      RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  // A cold boot (module load, migrations check) can take half a minute on a loaded 2-core CI box.
  await waitFor(async () => (await request(url).get('/health')).status === 200, 90_000, 200);
  const kill9 = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  return { url, proc, kill: (signal = 'SIGKILL') => proc.kill(signal), kill9, output: () => out };
}
