import { ChildProcess, execSync, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../tools/common/http-client';
import { TEST_ADMIN, TEST_APP_SECRET } from '../helpers/test-app';
import { createTestDatabase, TestDatabase } from '../helpers/test-db';
import { waitFor } from '../helpers/wait';

const ROOT = join(__dirname, '..', '..');

interface Proc {
  url: string;
  proc: ChildProcess;
  stdout: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
}

// The built app as its own process, the way it runs in production.
function spawnReelay(env: Record<string, string>, port: number): Proc {
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let out = '';
  let err = '';
  proc.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    stdout.push(...lines.filter(Boolean));
  });
  proc.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  return { url: `http://127.0.0.1:${port}`, proc, stdout, stderr: () => err, exited };
}

const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object';
  } catch {
    return false;
  }
};

describe('the process: start-up, slow clients and shutdown', () => {
  let db: TestDatabase;
  let app: Proc;
  const procs: ChildProcess[] = [];

  beforeAll(async () => {
    execSync('npx tsc -p tsconfig.build.json', { cwd: ROOT, stdio: 'ignore' }); // the process runs the built app
    db = await createTestDatabase();
    const port = await freePort();
    app = spawnReelay(
      {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        APP_SECRET: TEST_APP_SECRET,
        SERVER_ADDRESS: `http://localhost:${port}`,
        ADMIN_EMAIL: TEST_ADMIN.email,
        JOBS_ENABLED: 'false',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
        HTTP_HEADERS_TIMEOUT_MS: '1500',
        SHUTDOWN_TIMEOUT_MS: '5000',
      },
      port,
    );
    procs.push(app.proc);
    await waitFor(
      async () =>
        (
          await request(app.url)
            .get('/health')
            .catch(() => ({ status: 0 }))
        ).status === 200,
      60_000,
      200,
    );
  }, 180_000);
  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await db.drop();
  });

  it('logs JSON on every stdout line, a listening line and a warning for a local SERVER_ADDRESS in production', async () => {
    await waitFor(() => Promise.resolve(app.stdout.some((l) => l.includes('listening on'))), 10_000, 50);
    expect(app.stdout.filter((l) => !isJson(l))).toEqual([]);
    const msgs = app.stdout.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(msgs).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/^listening on http:\/\/127\.0\.0\.1:\d+/) }),
    );
    expect(msgs).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining('SERVER_ADDRESS is http://localhost') }),
    );
  });

  it('shows the generated admin password once, on stderr, never in the JSON log', () => {
    const banner = /password: (\S+)/.exec(app.stderr());
    expect(banner).not.toBeNull();
    expect(app.stdout.join('\n')).not.toContain(banner![1]);
  });

  it('cuts clients that send their body or headers too slowly', async () => {
    const started = Date.now();
    const closedAt: number[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < 10; i++) {
      const s = connect(Number(new URL(app.url).port), '127.0.0.1');
      sockets.push(s);
      s.on('error', () => undefined);
      s.on('close', () => closedAt.push(Date.now() - started));
      s.write(
        i % 2 === 0
          ? 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'
          : 'GET /health HTTP/1.1\r\nHost: x\r\n', // headers never finished
      );
    }
    const drip = setInterval(() => sockets.forEach((s) => s.writable && s.write(' ')), 300);
    try {
      await waitFor(() => Promise.resolve(closedAt.length === sockets.length), 10_000, 100);
    } finally {
      clearInterval(drip);
    }
    // HTTP_REQUEST_TIMEOUT_MS 2 s (checked every second): every slow client is gone within ~3 s.
    expect(Math.max(...closedAt)).toBeLessThan(4_500);
    await request(app.url).get('/health').expect(200);
  });

  it('on SIGTERM tells an SSE watcher to reconnect, closes its stream and exits well within the bound', async () => {
    const http = request(app.url);
    const admin = (
      await http
        .post('/api/auth/login')
        .send({ email: TEST_ADMIN.email, password: /password: (\S+)/.exec(app.stderr())![1] })
        .expect(200)
    ).body;
    const user = (
      await http
        .post('/api/auth/register')
        .send({ email: 'watcher@example.test', password: 'lamp-47-violin-orbit' })
        .expect(201)
    ).body;
    await http
      .post(`/api/admin/users/${user.user.id}/credits`)
      .set('authorization', `Bearer ${admin.access_token}`)
      .send({ amount: 100, reason: 'test' })
      .expect(201);
    const batch = await http
      .post('/api/v1/workflow/batch-generate')
      .set('authorization', `Bearer ${user.access_token}`)
      .send({ rows: [{ prompt: 'a watched video' }], generationType: 'video' })
      .expect(201);

    let received = '';
    let streamEnded = false;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        `${app.url}/api/v1/workflow/batches/${batch.body.id}/events`,
        { headers: { authorization: `Bearer ${user.access_token}`, accept: 'text/event-stream' } },
        (res) => {
          res.on('data', (c: Buffer) => {
            received += c.toString('utf8');
            resolve();
          });
          res.on('end', () => (streamEnded = true));
          res.on('error', () => (streamEnded = true));
        },
      );
      req.on('error', reject);
      req.end();
    });
    await waitFor(() => Promise.resolve(received.includes('event: status')), 5_000, 50);
    const signalledAt = Date.now();
    app.proc.kill('SIGTERM');
    const { code, signal, atMs } = await app.exited;
    expect(atMs - signalledAt).toBeLessThan(3_000); // SHUTDOWN_TIMEOUT_MS is 5 s: this is the graceful path
    // Closed cleanly, then ended by the signal itself (the watchdog would have exited with 1).
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(received).toContain('event: reconnect');
    expect(received).toMatch(/retry: 1000/);
    expect(streamEnded).toBe(true);
  });

  it('logs start-up failures as JSON lines and exits 1', async () => {
    // A setting that does not validate, and a port already taken.
    const bad = spawnReelay({ PORT: 'abc', DATABASE_URL: db.url }, 1);
    procs.push(bad.proc);
    expect((await bad.exited).code).toBe(1);
    expect(bad.stdout.length).toBeGreaterThan(0);
    expect(bad.stdout.filter((l) => !isJson(l))).toEqual([]);
    expect(bad.stdout.map((l) => JSON.parse(l).msg).join(' ')).toContain('PORT');

    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const busy = spawnReelay(
        {
          DATABASE_URL: `sqlite:${join(tmpdir(), `reelay-busy-${port}.sqlite`)}`,
          ADMIN_PASSWORD: 'busy-port-password-1',
          APP_SECRET: TEST_APP_SECRET,
        },
        port,
      );
      procs.push(busy.proc);
      expect((await busy.exited).code).toBe(1);
      expect(busy.stdout.filter((l) => !isJson(l))).toEqual([]);
      expect(busy.stdout.map((l) => JSON.parse(l))).toContainEqual(
        expect.objectContaining({
          level: 60,
          msg: 'Reelay failed to start',
          err: expect.objectContaining({ code: 'EADDRINUSE' }),
        }),
      );
    } finally {
      taken.close();
    }
  });
});
