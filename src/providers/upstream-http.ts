import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Dispatcher, request } from 'undici';
import { OutboundGuard } from '../common/outbound/outbound-guard.service';
import { Metrics, UpstreamErrorKind } from '../metrics/metrics.service';
import { ChannelCredentials, ProviderError } from './video-provider';

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
// bounded timeouts, JSON in and out, every connection through the outbound guard (no
// redirects followed). Tests point channels at local simulators (OUTBOUND_ALLOW_HOSTS).
@Injectable()
export class UpstreamHttp implements OnModuleDestroy {
  private readonly agent: Dispatcher;

  constructor(
    guard: OutboundGuard,
    readonly metrics: Metrics,
  ) {
    this.agent = guard.dispatcher({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 128 }, 5_000);
  }

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
  'EOUTBOUNDREFUSED', // the outbound guard refused the address
]);

export function wasNeverSent(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return NOT_SENT.has(e?.code ?? '') || NOT_SENT.has(e?.cause?.code ?? '');
}

export interface ProviderCall {
  method: 'GET' | 'POST';
  path: string; // appended to the channel's base URL
  headers: Record<string, string>;
  json?: unknown;
  // A create that may have reached the upstream must never be sent again.
  isCreate: boolean;
  // For metrics: a create is a `submit`, anything else a `query` unless it says so.
  operation?: 'account' | 'list';
}

// Turns an answer into the provider's error, or null when it is a success.
export type ProviderAnswerCheck = (res: UpstreamResponse) => ProviderError | null;

// The one upstream call every provider client makes: the channel's base URL, the configured
// timeout, and one classification of transport failures — `retryable` when the request certainly
// never left (or was a read), `unknown_outcome` for a create that may have reached the upstream.
export async function callProvider(
  http: UpstreamHttp,
  name: string,
  ch: ChannelCredentials,
  timeoutMs: number,
  call: ProviderCall,
  check: ProviderAnswerCheck,
): Promise<UpstreamResponse> {
  const started = performance.now();
  const report = (error?: UpstreamErrorKind) =>
    http.metrics.upstreamCall({
      provider: ch.type,
      channelId: ch.channelId,
      operation: call.operation ?? (call.isCreate ? 'submit' : 'query'),
      seconds: (performance.now() - started) / 1000,
      error,
    });
  let res: UpstreamResponse;
  try {
    res = await http.send({
      method: call.method,
      url: ch.baseUrl.replace(/\/+$/, '') + call.path,
      headers: call.headers,
      json: call.json,
      timeoutMs,
    });
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    const code = e?.code ?? e?.cause?.code ?? 'error';
    report(/TIMEOUT/.test(code) ? 'timeout' : 'network');
    if (wasNeverSent(err) || !call.isCreate)
      throw new ProviderError('retryable', 'network', `${name} unreachable: ${code}`);
    throw new ProviderError('unknown_outcome', 'network', `No answer from ${name}: ${code}`);
  }
  const error = check(res);
  report(error ? errorKind(error) : undefined);
  if (error) throw error;
  return res;
}

function errorKind(e: ProviderError): UpstreamErrorKind {
  if (e.httpStatus === 429 || e.code === '1302' || e.code === '1303') return 'rate_limited';
  if (e.category === 'auth' || e.category === 'account' || e.category === 'reauth') return 'auth';
  if (e.category === 'client' || e.category === 'content' || e.category === 'channel') return 'rejected';
  return (e.httpStatus ?? 500) >= 500 ? 'http_5xx' : 'http_4xx';
}
