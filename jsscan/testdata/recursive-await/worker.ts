// TypeScript source: scanned through esbuild, reported at TS positions.
interface Job { id: number }

export class Worker<T extends Job> {
  private readonly queue: T[] = [];

  constructor(private readonly id: number) {}

  async run(): Promise<void> {
    const job: T | undefined = this.queue.shift();
    const next = new Worker<T>(this.id + 1);
    await next.run(); // want LEAK003 "next.run"
  }

  async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await this.step(this.queue.shift() as T);
    }
  }

  private async step(job: T): Promise<void> {}
}
