// LEAK104: TypeScript with target es2015 compiles async methods to
// generators driven by __awaiter. A worker that awaits the next worker
// never settles: every job adds a generator, the __awaiter closures and a
// promise to a chain. fixed=true runs the jobs in a loop.
// Compiled by ./build.sh (tsc, target es2015) to worker.js + worker.js.map.

export interface Job {
  done: () => void;
}

export class Worker {
  private readonly jobs: Job[] = [];
  private wake: (() => void) | null = null;

  submit(job: Job): void {
    this.jobs.push(job);
    if (this.wake) {
      const w = this.wake;
      this.wake = null;
      w();
    }
  }

  private nextJob(): Promise<Job> {
    const job = this.jobs.shift();
    if (job) return Promise.resolve(job);
    return new Promise<void>((resolve) => { this.wake = resolve; }).then(() => this.nextJob());
  }

  async run(): Promise<void> { // leak: LEAK104
    const job = await this.nextJob();
    job.done();
    await this.run();
  }

  async runLoop(): Promise<void> {
    for (;;) {
      const job = await this.nextJob();
      job.done();
    }
  }
}

const workers: { [key: string]: Worker } = {};

/** Submits one job and waits until it is done. */
export function submit(fixed: boolean): Promise<void> {
  const key = fixed ? 'fixed' : 'leaky';
  let w = workers[key];
  if (!w) {
    w = workers[key] = new Worker();
    if (fixed) w.runLoop();
    else w.run();
  }
  return new Promise<void>((resolve) => w.submit({ done: resolve }));
}
