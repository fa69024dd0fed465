import { Injectable } from '@nestjs/common';

// The one source of time, so tests can move it.
@Injectable()
export class Clock {
  nowMs(): number {
    return Date.now();
  }

  // Unix seconds, the unit every timestamp column stores.
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }
}
