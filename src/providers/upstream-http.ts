import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, Dispatcher, request } from 'undici';
import { ProviderError } from './video-provider';

export interface UpstreamResponse {
  status: number;
  body: unknown;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeoutMs: number;
}

// The one HTTP edge to upstream providers: a keep-alive connection pool per origin (undici),
// bounded timeouts, JSON in and out. Tests point channels at local simulators instead.
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly agent: Dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connections: 128,
    connect: { timeout: 5_000 },
  });

  async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const res = await request(req.url, {
      method: req.method,
      dispatcher: this.agent,
      headers: {
        accept: 'application/json',
        ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      },
      body: req.json !== undefined ? JSON.stringify(req.json) : undefined,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (an HTML error page from a proxy, say): keep the text.
    }
    return { status: res.statusCode, body };
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

// Errors raised before the request reached the upstream: safe to try elsewhere.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function wasNeverSent(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return NOT_SENT.has(e?.code ?? '') || NOT_SENT.has(e?.cause?.code ?? '');
}

// One upstream call for a provider client: a failure before any answer becomes `retryable` when
// the request certainly never left (or was a read), and `unknown_outcome` for a create that may
// have reached the upstream, which must then never be sent again.
export async function sendToProvider(
  http: UpstreamHttp,
  name: string,
  req: UpstreamRequest,
  isCreate: boolean,
): Promise<UpstreamResponse> {
  try {
    return await http.send(req);
  } catch (err) {
    const code =
      (err as { code?: string; cause?: { code?: string } })?.code ??
      (err as { cause?: { code?: string } })?.cause?.code ??
      'error';
    if (wasNeverSent(err) || !isCreate) throw new ProviderError('retryable', 'network', `${name} unreachable: ${code}`);
    throw new ProviderError('unknown_outcome', 'network', `No answer from ${name}: ${code}`);
  }
}
