import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number; // what the receiver answered
  at: number;
}

// A client's webhook receiver on loopback: records every request, answers what `respond`
// says (200 by default), and can hold a request open (to kill the sender mid-delivery).
export class WebhookReceiver {
  readonly received: Received[] = [];
  // Every request as it arrived, answered or not.
  readonly arrivals: Array<{ path: string; id: string }> = [];
  respond: (r: { path: string; id: string; attempt: number }) => number | 'hang' = () => 200;
  private server!: Server;
  private readonly attempts = new Map<string, number>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  // Requests answered with a 2xx, per webhook-id.
  deliveredById(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.received) if (r.status >= 200 && r.status < 300) out.set(r.id, (out.get(r.id) ?? 0) + 1);
    return out;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const id = String(req.headers['webhook-id'] ?? '');
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    const path = (req.url ?? '/').split('?')[0];
    this.arrivals.push({ path, id });
    const answer = this.respond({ path, id, attempt });
    if (answer === 'hang') return; // never answered: the sender times out or dies
    this.received.push({
      path,
      id,
      timestamp: String(req.headers['webhook-timestamp'] ?? ''),
      signature: String(req.headers['webhook-signature'] ?? ''),
      body: Buffer.concat(chunks).toString('utf8'),
      status: answer,
      at: Date.now(),
    });
    res.writeHead(answer, { 'content-type': 'text/plain' });
    res.end(answer < 300 ? 'ok' : 'no');
  }
}

const headersOf = (r: Received) => ({
  'webhook-id': r.id,
  'webhook-timestamp': r.timestamp,
  'webhook-signature': r.signature,
});

// Verifies a delivery the way receivers do: with the `standardwebhooks` package and with the
// OpenAI SDK's webhooks.unwrap(); both throw on a bad signature. Returns the parsed body.
export async function verifyBoth(r: Received, secret: string): Promise<unknown> {
  const viaStandard = new Webhook(secret).verify(r.body, headersOf(r));
  const client = new OpenAI({ apiKey: 'sk-unused', webhookSecret: secret });
  const viaOpenAI = await client.webhooks.unwrap(r.body, headersOf(r), secret);
  expect(viaOpenAI).toEqual(viaStandard);
  return viaStandard;
}
