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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
