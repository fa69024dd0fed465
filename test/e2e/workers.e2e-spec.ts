import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { get } from 'node:http';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { buildApp } from '../helpers/reelay-process';
import { portSharing } from '../../src/common/cluster/worker-listen';
import { freePort } from '../../tools/common/http-client';
import { listeningPids } from '../../tools/common/proc-sockets';
import { TEST_ADMIN, TEST_APP_SECRET } from '../helpers/test-app';
import { createTestDatabase, TestDatabase, testDbKind } from '../helpers/test-db';
import { waitFor } from '../helpers/wait';

const ROOT = join(__dirname, '..', '..');
const METRICS_TOKEN = 'workers-e2e-metrics-token';
const PRICE = 72; // kling-v1-6-std, 5 s (the seeded price table)

interface LogLine {
  pid: number;
  err?: { message: string };
  level: number;
  msg: string;
  context?: string;
  worker?: number;
  worker_pid?: number;
  req?: { url: string };
  port_sharing?: string;
}

interface Primary {
  url: string;
  proc: ChildProcess;
  logs(): LogLine[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// The built app with WORKERS set, as production runs it: a primary and its workers.
async function spawnPrimary(env: Record<string, string>): Promise<Primary> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_SECRET: TEST_APP_SECRET,
      SERVER_ADDRESS: url,
      ADMIN_EMAIL: TEST_ADMIN.email,
      LOG_LEVEL: 'info',
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost',
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000000',
      RATE_LIMIT_API_KEY_PER_MINUTE: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // The primary and its workers share stdout; a line is one write, so lines do not mix.
  const logs = () => out.split('\n').flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as LogLine] : []));
  return { url, proc, logs, stderr: () => err, exited };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The primary's "worker serving" lines: which pid serves each slot now.
const servingPids = (p: Primary) => {
  const bySlot = new Map<number, number>();
  for (const l of p.logs()) if (l.msg === 'worker serving') bySlot.set(l.worker as number, l.worker_pid as number);
  return bySlot;
};

if (testDbKind() === 'sqlite') {
  describe('WORKERS on SQLite', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      buildApp();
      db = await createTestDatabase();
    }, 180_000);
    afterAll(() => db.drop());

    it('stops at start with one line naming WORKERS: SQLite is one process’s file', async () => {
      const p = await spawnPrimary({ DATABASE_URL: db.url, WORKERS: '2' });
      expect((await p.exited).code).toBe(1);
      expect(p.logs()).toEqual([
        expect.objectContaining({
          level: 60,
          msg: 'Invalid configuration: WORKERS must be 1 with SQLite (one process writes the database file); use MySQL to run 2 workers',
        }),
      ]);
    });
  });
} else {
  describe('WORKERS=2 on MySQL: one port, two processes', () => {
    let sim: KlingSimulator;
    let db: TestDatabase;
    let p: Primary;

    beforeAll(async () => {
      buildApp();
      // Every success callback arrives 10 times at once; the two workers take them in turn.
      sim = await startKlingSimulator({
        behavior: { processingAfterMs: 50, completeAfterMs: 400, terminalCallbackCopies: 10 },
      });
      sim.addKey('ak-workers', 'sk-workers');
      db = await createTestDatabase();
      p = await spawnPrimary({
        DATABASE_URL: db.url,
        WORKERS: '2',
        METRICS_TOKEN,
        POLL_TICK_MS: '200',
        POLL_SCHEDULE_MS: '0:500', // the poller races the callbacks too
        SHUTDOWN_TIMEOUT_MS: '5000',
      });
      await waitFor(() => Promise.resolve(servingPids(p).size === 2), 120_000, 200);
    }, 240_000);
    afterAll(async () => {
      if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
      for (const pid of servingPids(p).values()) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await sim.close();
      await db.drop();
    });

    const http = () => request(p.url);
    const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

    it('starts the first worker alone (it migrates and creates the admin) and shows the password once', () => {
      const logs = p.logs();
      const firstServing = logs.findIndex((l) => l.msg === 'worker serving' && l.worker === 1);
      const second = servingPids(p).get(2) as number;
      expect(logs.findIndex((l) => l.pid === second)).toBeGreaterThan(firstServing);
      expect(logs.filter((l) => l.msg === 'created the admin account')).toHaveLength(1);
      expect(p.stderr().match(/password: \S+/g)).toHaveLength(1);
      // One warning, from the primary: without REDIS_URL each worker counts rate limits alone.
      expect(logs.filter((l) => /without REDIS_URL/.test(l.msg)).map((l) => l.context)).toEqual(['ClusterPrimary']);
    });

    it('serves from both workers and captures every task exactly once under duplicate callbacks', async () => {
      const password = /password: (\S+)/.exec(p.stderr())?.[1] as string;
      const admin = (await http().post('/api/auth/login').send({ email: TEST_ADMIN.email, password }).expect(200)).body
        .access_token as string;
      await http()
        .post('/api/admin/channels')
        .set(auth(admin))
        .send({
          name: 'sim',
          type: 'kling',
          base_url: sim.url,
          key: 'ak-workers|sk-workers',
          models: ['kling-v1-6-std'],
        })
        .expect(201);
      const n = 100;
      const reg = (
        await http().post('/api/auth/register').send({ email: 'workers@example.test', password: 'lantern-orbit-52' })
      ).body;
      await http()
        .post(`/api/admin/users/${reg.user.id}/credits`)
        .set(auth(admin))
        .send({ amount: n * PRICE, reason: 'workers' })
        .expect(201);
      const key = (await http().post('/api/tokens').set(auth(reg.access_token)).send({ name: 'k' }).expect(201)).body
        .key as string;

      const ids: string[] = [];
      for (let i = 0; i < n; i += 25) {
        const batch = await Promise.all(
          Array.from({ length: 25 }, () =>
            http()
              .post('/kling/v1/videos/text2video')
              .set(auth(key))
              .send({ model: 'kling-v1-6-std', prompt: 'a cat on two workers' })
              .expect(200),
          ),
        );
        ids.push(...batch.map((r) => r.body.task_id as string));
      }
      expect(new Set(ids).size).toBe(n);
      const balance = async () => (await http().get('/api/billing/balance').set(auth(reg.access_token))).body;
      await waitFor(async () => (await balance()).used === n * PRICE, 90_000, 250);
      await waitFor(() => Promise.resolve(sim.stats().callbacksSent >= n * 10), 30_000, 100);
      expect(await balance()).toEqual({ balance: 0, held: 0, available: 0, used: n * PRICE });

      const conn = await createConnection({ uri: db.url });
      try {
        const [rows] = await conn.query(
          "SELECT ref_id, COUNT(*) AS n FROM ledger_entries WHERE user_id = ? AND kind = 'capture' GROUP BY ref_id",
          [reg.user.id],
        );
        const captures = rows as Array<{ ref_id: string; n: number }>;
        expect(captures.map((r) => r.ref_id).sort()).toEqual([...ids].sort());
        expect(captures.every((r) => Number(r.n) === 1)).toBe(true);
      } finally {
        await conn.end();
      }
      const recon = (await http().get('/api/admin/billing/reconciliation').set(auth(admin)).expect(200)).body;
      expect(recon.mismatches).toEqual([]);

      // Both workers took requests (their log lines carry their pid).
      const workers = [...servingPids(p).values()];
      const served = new Set(
        p
          .logs()
          .filter((l) => l.req?.url.startsWith('/kling/'))
          .map((l) => l.pid),
      );
      expect([...served].sort()).toEqual([...workers].sort());

      // /metrics adds up both workers: every callback copy counted once, every task finished once.
      // The simulator counts a copy as it starts sending it: the last may still be on its way.
      let metrics = '';
      const sum = (name: string) =>
        metrics
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`))
          .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
      await waitFor(
        async () => {
          metrics = (await http().get('/metrics').set(auth(METRICS_TOKEN)).expect(200)).text;
          return sum('reelay_callbacks_total') >= sim.stats().callbacksSent;
        },
        10_000,
        100,
      ).catch(() => undefined);
      const { callbacksSent, callbacksAnswered, callbackFailures } = sim.stats();
      expect({ answered: callbacksAnswered, failures: callbackFailures }).toEqual({
        answered: callbacksSent,
        failures: {},
      });
      expect(sum('reelay_callbacks_total')).toBe(callbacksSent);
      expect(sum('reelay_tasks_finished_total')).toBe(n);
      expect(metrics).toMatch(/^reelay_tasks_in_flight\{provider="kling"\} 0$/m);
    });

    it('shares the port by SO_REUSEPORT where Node has it: each worker listens, and new connections land on both', async () => {
      const port = Number(new URL(p.url).port);
      const primary = p.proc.pid as number;
      const workers = [...servingPids(p).values()];
      const sharing = portSharing();
      expect(p.logs().find((l) => l.pid === primary && l.msg.startsWith('listening on'))?.port_sharing).toBe(sharing);
      if (sharing === 'round-robin') {
        // Node < 22.12 or not Linux: the primary holds the one listening socket and hands out connections.
        expect(listeningPids(port, [primary, ...workers])).toEqual([primary]);
        return;
      }
      expect(listeningPids(port, [primary, ...workers]).sort()).toEqual([...workers].sort());
      // 64 connections opened at once, one request each.
      const n = 64;
      const codes = await Promise.all(
        Array.from(
          { length: n },
          (_, i) =>
            new Promise<number>((resolve, reject) =>
              get(`${p.url}/kling/v1/videos/burst-${i}`, { agent: false }, (res) => {
                res.resume();
                res.once('end', () => resolve(res.statusCode ?? 0));
              }).once('error', reject),
            ),
        ),
      );
      expect(new Set(codes)).toEqual(new Set([401]));
      let byPid = new Map<number, number>();
      await waitFor(() => {
        byPid = new Map();
        for (const l of p.logs()) {
          if (!l.req?.url.startsWith('/kling/v1/videos/burst-')) continue;
          byPid.set(l.pid, (byPid.get(l.pid) ?? 0) + 1);
        }
        return Promise.resolve([...byPid.values()].reduce((a, b) => a + b, 0) === n);
      }, 10_000);
      // The kernel spreads them by address: each worker gets a fair share (below 16 of 64: p < 1e-4).
      expect([...byPid.keys()].sort()).toEqual([...workers].sort());
      for (const count of byPid.values()) expect(count).toBeGreaterThanOrEqual(16);
    });

    it('restarts a worker killed with SIGKILL, and keeps answering meanwhile', async () => {
      const [victim, survivor] = [servingPids(p).get(1) as number, servingPids(p).get(2) as number];
      process.kill(victim, 'SIGKILL');
      // Once the primary has seen it go (a connection handed to the worker in the instant it died is
      // lost with it), the survivor takes every request while the victim's slot restarts.
      const exitLine = expect.objectContaining({
        level: 50,
        msg: 'worker exited unexpectedly; restarting it',
        worker_pid: victim,
        signal: 'SIGKILL',
        restart_in_ms: 500,
      });
      await waitFor(() => Promise.resolve(p.logs().some((l) => exitLine.asymmetricMatch(l))), 10_000, 20);
      for (let i = 0; i < 20; i++) await http().get('/health').timeout(10_000).expect(200);
      await waitFor(() => Promise.resolve(![victim, undefined].includes(servingPids(p).get(1))), 60_000, 200);
      expect(servingPids(p).get(2)).toBe(survivor);
      expect(alive(servingPids(p).get(1) as number)).toBe(true);
      await http().get('/health').expect(200);
    });

    it('exits with status 1 when the first worker cannot start, instead of restarting it forever', async () => {
      const missing = new URL(db.url);
      missing.pathname = '/reelay_no_such_database';
      const bad = await spawnPrimary({ DATABASE_URL: missing.toString(), WORKERS: '2', LOG_LEVEL: 'warn' });
      expect(await bad.exited).toEqual({ code: 1, signal: null });
      expect(bad.logs().at(-1)).toMatchObject({
        level: 60,
        msg: 'Reelay failed to start',
        err: expect.objectContaining({ message: 'worker 1 exited before serving (code 1)' }),
      });
      expect(bad.logs().filter((l) => l.msg === 'worker serving')).toEqual([]);
    }, 120_000);

    it('on SIGTERM to the primary stops every worker gracefully and exits', async () => {
      const workers = [...servingPids(p).values()];
      const at = Date.now();
      p.proc.kill('SIGTERM');
      expect(await p.exited).toEqual({ code: 0, signal: null });
      // Each worker closes within its SHUTDOWN_TIMEOUT_MS (5 s; a job round in flight is awaited);
      // exit code 0: the primary never had to SIGKILL one.
      expect(Date.now() - at).toBeLessThan(6_000);
      expect(workers.filter(alive)).toEqual([]);
      const stopped = p.logs().filter((l) => l.msg === 'worker stopped');
      expect(stopped.map((l) => l.worker_pid).sort()).toEqual([...workers].sort());
      expect(p.logs().at(-1)).toMatchObject({ msg: 'all workers stopped', code: 0 });
    });
  });
}
