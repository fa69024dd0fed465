import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, freePort, waitHealthy } from '../common/http-client';
import { startKlingSimulator } from '../simulators/kling/kling-simulator';

// `npm run demo`: Reelay on a temporary SQLite file next to the Kling simulator; one task of
// each kind from a fresh user, paid for only when it succeeds.

const ADMIN = { email: 'admin@demo.local', password: 'demo-admin-password' };
const IMAGE = 'https://example.com/cat.png';
const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reelay-demo-'));
  const sim = await startKlingSimulator({ behavior: { processingAfterMs: 300, completeAfterMs: 1500 } });
  sim.addKey('demo-ak', 'demo-sk');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const reelay = spawn(process.execPath, [join(__dirname, '..', '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'reelay.sqlite')}`,
      DATA_DIR: dir,
      SERVER_ADDRESS: base,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      POLL_TICK_MS: '500',
      // The simulator listens on loopback, which the outbound guard refuses unless allowed.
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    out(`Reelay: ${base} (SQLite in ${dir}); Kling simulator: ${sim.url}`);
    await waitHealthy(base);
    const admin = await call<{ access_token: string }>(base, 'POST', '/api/auth/login', ADMIN);
    const asAdmin = admin.access_token;
    // A Kling channel only takes models that have a price.
    await addOmniPrice(base, asAdmin);
    await call(base, 'POST', '/api/admin/channels', asAdmin, {
      name: 'Kling (simulator)',
      type: 'kling',
      base_url: sim.url,
      key: 'demo-ak|demo-sk',
      models: ['kling-v1-6-std', 'kling-v1-5-pro', 'kling-v1-6-pro', 'kling-video-o1-pro'],
    });
    const user = await call<{ access_token: string; user: { id: number } }>(base, 'POST', '/api/auth/register', {
      email: 'demo@example.com',
      password: 'silver-kettle-58-drum',
    });
    await call(base, 'POST', `/api/admin/users/${user.user.id}/credits`, asAdmin, {
      amount: 1000,
      reason: 'demo credits',
    });
    const { key } = await call<{ key: string }>(base, 'POST', '/api/tokens', user.access_token, { name: 'demo' });
    out(`User demo@example.com with 1000 credits and API key ${key.slice(0, 11)}…`);

    const submissions: Array<[string, object]> = [
      [
        'text2video',
        { model: 'kling-v1-6-std', prompt: 'A cat playing on the grass', duration: 5, aspect_ratio: '16:9' },
      ],
      ['image2video', { model: 'kling-v1-5-pro', image: IMAGE, duration: 10, aspect_ratio: '1:1' }],
      [
        'multi-image2video',
        { model: 'kling-v1-6-pro', prompt: 'Two cats meet', image_list: [{ image: IMAGE }, { image: IMAGE }] },
      ],
      [
        'omni-video',
        { model: 'kling-video-o1-pro', prompt: 'The cat in <<<image_1>>> waves', image_list: [{ image_url: IMAGE }] },
      ],
    ];
    const tasks: Array<{ kind: string; task_id: string }> = [];
    for (const [kind, body] of submissions) {
      const r = await call<{ task_id: string; status: string }>(base, 'POST', `/kling/v1/videos/${kind}`, key, body);
      out(`submitted ${kind.padEnd(18)} → ${r.task_id} (${r.status})`);
      tasks.push({ kind, task_id: r.task_id });
    }

    const results = await waitAll(
      base,
      key,
      tasks.map((x) => x.task_id),
    );
    out();
    for (const [i, r] of results.entries()) {
      out(
        `${tasks[i].kind.padEnd(18)} ${r.task_id}  ${r.status.padEnd(8)} ${r.duration.padEnd(6)}s  ${r.video_url || r.fail_reason}`,
      );
    }
    const balance = await call<Record<string, number>>(base, 'GET', '/api/billing/balance', key);
    out(`\nbalance: ${JSON.stringify(balance)}`);
    const ledger = await call<{ items: Array<{ kind: string; amount: number; held_delta: number; ref_id: string }> }>(
      base,
      'GET',
      '/api/billing/ledger?page_size=20',
      key,
    );
    out('ledger (newest first):');
    for (const e of ledger.items)
      out(
        `  ${e.kind.padEnd(10)} amount ${String(e.amount).padStart(7)}  held ${String(e.held_delta).padStart(7)}  ${e.ref_id}`,
      );
    const ok = results.filter((r) => r.status === 'succeed').length;
    out(`\n${ok} of ${results.length} tasks succeeded.`);
    if (ok !== results.length) process.exitCode = 1;
  } finally {
    reelay.kill('SIGTERM');
    await new Promise((r) => reelay.once('exit', r));
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TaskView {
  task_id: string;
  status: string;
  video_url: string;
  duration: string;
  fail_reason: string;
}

async function waitAll(base: string, key: string, ids: string[]): Promise<TaskView[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const views = await Promise.all(ids.map((id) => call<TaskView>(base, 'GET', `/kling/v1/videos/${id}`, key)));
    if (views.every((v) => v.status === 'succeed' || v.status === 'failed')) return views;
    if (Date.now() > deadline) throw new Error('tasks did not finish within 60 s');
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function addOmniPrice(base: string, token: string): Promise<void> {
  const table = await call<{ items: Array<Record<string, unknown>> }>(
    base,
    'GET',
    '/api/admin/prices?page_size=100',
    token,
  );
  const items = table.items.map(({ updated_at: _u, ...rest }) => rest);
  items.push({ model: 'kling-video-o1-pro', scheme: 'kling_formula', base_credits: 100 });
  await call(base, 'PUT', '/api/admin/prices', token, { items });
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
