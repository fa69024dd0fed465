import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toApiError } from '../api/client';
import { sessionStore } from '../auth/session';

export interface SseOptions {
  onEvent: (event: EventSourceMessage) => void;
  signal: AbortSignal;
  lastEventId?: string;
}

// Server-Sent Events over fetch. EventSource cannot send `Authorization`, and Reelay takes
// credentials only from that header (never from the query string, where they would be logged),
// so the stream is read with fetch and parsed by eventsource-parser. Resolves when the server
// ends the stream (a batch's stream ends when the batch finishes), rejects on an HTTP error.
export async function readSse(url: string, opts: SseOptions): Promise<void> {
  const token = sessionStore.get()?.token;
  const res = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}),
    },
    signal: opts.signal,
    cache: 'no-store',
  });
  if (!res.ok || !res.body) {
    throw toApiError(res.status, await res.json().catch(() => null), res.statusText);
  }
  const parser = createParser({ onEvent: opts.onEvent });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser.feed(value);
  }
}

// Keeps a stream open: reconnects with Last-Event-ID after a dropped connection (backing off),
// stops when `finished()` says there is nothing more to hear or the signal aborts.
export async function followSse(
  url: string,
  onEvent: (event: EventSourceMessage) => void,
  finished: () => Promise<boolean>,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | undefined;
  let delay = 500;
  while (!signal.aborted) {
    try {
      await readSse(url, {
        signal,
        lastEventId,
        onEvent: (e) => {
          if (e.id) lastEventId = e.id;
          delay = 500;
          onEvent(e);
        },
      });
    } catch (err) {
      if (signal.aborted) return;
      if ((err as { status?: number }).status && (err as { status: number }).status < 500) throw err;
    }
    if (await finished()) return;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
