import { sessionStore } from '../auth/session';
import { readSse } from './sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

describe('Server-Sent Events over fetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the session as Authorization (EventSource cannot) and parses events split across chunks', async () => {
    sessionStore.set(
      'jwt-abc',
      { id: 1, email: 'a@b.c', role: 'user', status: 'active', plan: 'free', created_at: 0, updated_at: 0 },
      3600,
    );
    const fetchMock = vi.fn().mockResolvedValue(
      new Response(
        streamOf([
          'id: 7\nevent: status\ndata: {"item":0,',
          '"status":"running"}\n\n',
          'id: 8\nevent: status\ndata: {"item":null,"status":"completed"}\n\n',
        ]),
        {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
        },
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const events: Array<{ id?: string; event?: string; data: string }> = [];
    await readSse('/api/v1/workflow/batches/b1/events', {
      signal: new AbortController().signal,
      lastEventId: '6',
      onEvent: (e) => events.push(e),
    });
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(init.headers).toMatchObject({
      authorization: 'Bearer jwt-abc',
      'last-event-id': '6',
      accept: 'text/event-stream',
    });
    expect(events.map((e) => [e.id, e.event, JSON.parse(e.data)])).toEqual([
      ['7', 'status', { item: 0, status: 'running' }],
      ['8', 'status', { item: null, status: 'completed' }],
    ]);
  });

  it('throws the API error of a refused stream', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        new Response(
          JSON.stringify({
            error: { code: 'not_found', message: 'Batch not found', details: null },
            request_id: 'r1',
          }),
          { status: 404 },
        ),
      ),
    );
    await expect(
      readSse('/x', { signal: new AbortController().signal, onEvent: () => undefined }),
    ).rejects.toMatchObject({ status: 404, code: 'not_found', requestId: 'r1' });
  });
});
