import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'node:net';

// Tells long-lived responses (Server-Sent Events) that the process is stopping, before the HTTP
// server closes: they end themselves so closing does not wait on them. Nest runs onModuleDestroy
// before it closes the server and the database.
@Injectable()
export class ShutdownSignal implements OnModuleDestroy {
  private readonly listeners = new Set<() => void>();
  private readonly streamSockets = new Set<Socket>();
  private stopping = false;

  get closing(): boolean {
    return this.stopping;
  }

  // Returns the unsubscribe function.
  onShutdown(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // The connection of an event stream: clients keep it alive after the stream ends, and the
  // server would wait for them to hang up, so it is ended once its stream has been told to stop.
  trackStreamSocket(socket: Socket): void {
    if (this.streamSockets.has(socket)) return;
    this.streamSockets.add(socket);
    socket.once('close', () => this.streamSockets.delete(socket));
  }

  onModuleDestroy(): void {
    this.stopping = true;
    for (const listener of [...this.listeners]) listener();
    this.listeners.clear();
    // After the streams' last events are written (socket.end sends what is queued first).
    setImmediate(() => {
      for (const socket of this.streamSockets) socket.end();
    });
  }
}
