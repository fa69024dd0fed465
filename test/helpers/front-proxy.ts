import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface FrontProxy {
  url: string;
  // The replicas behind it; a test replaces the list as it kills and starts processes.
  setBackends(urls: string[]): void;
  close(): Promise<void>;
}

// The load balancer in front of a multi-replica deployment: SERVER_ADDRESS (and so every
// callback URL) names it, not one process. Each request goes to the next live replica; a
// replica that refuses the connection is skipped, as a health-checked balancer would.
export async function startFrontProxy(): Promise<FrontProxy> {
  let backends: string[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    void forward(req).then(
      (r) => {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      },
      () => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end('{"message":"no live replica"}');
      },
    );
  });

  async function forward(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const list = [...backends];
    for (let i = 0; i < list.length; i++) {
      const target = list[(next++ + i) % list.length];
      try {
        const headers = { ...req.headers };
        delete headers.host;
        delete headers.connection;
        const r = await request(`${target}${req.url ?? '/'}`, {
          method: req.method as 'GET',
          headers,
          body: body.length > 0 ? body : undefined,
        });
        const out = Buffer.from(await r.body.arrayBuffer());
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.headers)) {
          if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') h[k] = String(v);
        }
        return { status: r.statusCode, headers: h, body: out };
      } catch {
        // connection refused or reset: that replica is down, try the next
      }
    }
    throw new Error('no live replica');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setBackends: (urls) => {
      backends = [...urls];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
