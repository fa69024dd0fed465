import { Readable } from 'node:stream';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Dispatcher, request } from 'undici';
import { OutboundGuard } from '../common/outbound/outbound-guard.service';
import { AppConfig } from '../config/app-config';
import { CopyRefused } from './copy-stream';

export interface FetchedMedia {
  status: number;
  contentLength: number | null;
  body: Readable;
}

// The download edge of the copy job: one GET through the outbound guard's dispatcher (every
// connection's address is checked, OUTBOUND_ALLOW_HOSTS excepted), never following a redirect
// (a 3xx comes back as it is and the copy refuses it). Result URLs keep their query (signed CDN
// links), so the guard checks where the connection goes, not the URL's shape.
@Injectable()
export class MediaFetcher implements OnModuleDestroy {
  private readonly agent: Dispatcher;

  constructor(
    guard: OutboundGuard,
    private readonly config: AppConfig,
  ) {
    this.agent = guard.dispatcher({ connections: 32, keepAliveTimeout: 4_000 }, 5_000);
  }

  async open(url: string, signal: AbortSignal): Promise<FetchedMedia> {
    if (!/^https?:\/\//i.test(url)) throw new CopyRefused('The result URL is not http(s)');
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET',
        dispatcher: this.agent,
        headers: { 'user-agent': 'Reelay-MediaCopy/1', accept: 'video/*, */*;q=0.5' },
        headersTimeout: this.config.upstreamTimeoutMs,
        bodyTimeout: this.config.upstreamTimeoutMs, // between chunks, not for the whole file
        signal,
      });
    } catch (err) {
      if (refusedByGuard(err)) throw new CopyRefused((err as Error).message);
      throw err;
    }
    // Errors reach the reader (iteration, pipeline); a body dropped unread must not crash.
    res.body.on('error', () => undefined);
    const length = Number(res.headers['content-length']);
    return { status: res.statusCode, contentLength: Number.isFinite(length) ? length : null, body: res.body };
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

// The guard refused the connection (undici may wrap its error): permanent, not worth a retry.
export function refusedByGuard(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++)
    if (e.code === 'EOUTBOUNDREFUSED') return true;
  return false;
}
