// TypeScript: a setInterval wrapper hands the handle to its caller
// (rxjs@7.8.1 src/internal/scheduler/intervalProvider.ts, mqtt@5.10.3
// src/lib/get-timer.ts); not reported where it starts.
type Handle = ReturnType<typeof setInterval>;

export const intervalProvider = {
  delegate: undefined as { setInterval?: typeof setInterval } | undefined,
  setInterval(handler: () => void, timeout?: number, ...args: any[]): Handle {
    const { delegate } = intervalProvider;
    if (delegate?.setInterval) {
      return delegate.setInterval(handler, timeout, ...args);
    }
    return setInterval(handler, timeout, ...args);
  },
};

export const nativeTimer = {
  set: (func: () => void, time: number): Handle => setInterval(func, time),
  clear: (timerId: Handle) => clearInterval(timerId),
};

// Positive: the handle stays in a local nobody returns or clears.
export function monitor(stats: { ticks: number }): void {
  const handle: Handle = setInterval(() => { // want LEAK005 "closes over stats"
    stats.ticks++;
  }, 1000);
  handle.unref();
}
