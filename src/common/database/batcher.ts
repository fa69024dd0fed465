export interface BatcherOptions<T, R> {
  // Runs a batch; the i-th result settles the i-th item's caller.
  run: (items: T[]) => Promise<Array<PromiseSettledResult<R>>>;
  maxBatch: number;
  // Batches in flight at once.
  maxConcurrent: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

// Items that arrive while earlier batches are running wait and go together in the next one. An
// idle caller runs at once (no added wait, no timer); under load one round trip serves a batch.
// The adaptive policy of group commit, for any batched work. Hand-written: DataLoader batches per
// tick, which gathers next to nothing when requests arrive on separate socket reads.
export class Batcher<T, R> {
  private readonly waiting: Array<Waiting<T, R>> = [];
  private running = 0;

  constructor(private readonly opts: BatcherOptions<T, R>) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.opts.maxConcurrent && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.running++;
      void this.settle(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async settle(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await this.opts.run(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        const r = results[i];
        if (r.status === 'fulfilled') w.resolve(r.value);
        else w.reject(r.reason);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
