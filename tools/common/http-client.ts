import { createServer } from 'node:net';

// Small HTTP helpers shared by the demo and the benchmark scripts (which talk to a running
// Reelay and its simulators from outside, the way a client does).

// One JSON call; `tokenOrBody` is a bearer token, or the body when no token is needed.
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  tokenOrBody?: string | object,
  body?: object,
): Promise<T> {
  const token = typeof tokenOrBody === 'string' ? tokenOrBody : undefined;
  const payload = typeof tokenOrBody === 'object' ? tokenOrBody : body;
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(payload ? { 'content-type': 'application/json' } : {}),
    },
    body: payload ? JSON.stringify(payload) : undefined,
  });
  const text = await res.text();
  const json = (text === '' ? null : JSON.parse(text)) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 500)}`);
  return json;
}

export async function waitHealthy(base: string, path = '/health', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(base + path)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${base} did not become healthy within ${timeoutMs} ms`);
}

// A port nobody listens on, drawn below Linux's ephemeral range (32768–60999): a port that listen(0)
// hands out is also where the kernel puts outgoing connections, and one of those can take it between
// this check and the real listen (seen in CI as EADDRINUSE).
const PORT_RANGE = { from: 16384, to: 32767 };

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
