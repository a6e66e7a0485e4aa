/**
 * Group commit for the Postgres store: items that arrive while `parallel` flushes are already
 * running wait and go together in the next flush (one statement, one commit), up to `maxBatch`.
 * With nothing in flight an item is flushed at once, so a lone webhook waits for no timer. Each
 * item's promise settles with its own result, or with the flush's error.
 */
export class Batcher<I, O> {
  private queue: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private running = 0;
  private idle: Array<() => void> = [];

  constructor(
    private flushFn: (items: I[]) => Promise<O[]>,
    private parallel: number,
    private maxBatch = 500,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.parallel && this.queue.length) {
      const jobs = this.queue.splice(0, this.maxBatch);
      this.running += 1;
      this.flushFn(jobs.map((j) => j.item))
        .then(
          (out) => jobs.forEach((j, i) => j.resolve(out[i] as O)),
          (e: unknown) => jobs.forEach((j) => j.reject(e)),
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (!this.running && !this.queue.length) this.idle.splice(0).forEach((f) => f());
        });
    }
  }

  /** Resolves once nothing is queued or being flushed. */
  drained(): Promise<void> {
    if (!this.running && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
