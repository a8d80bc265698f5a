class Session {
  private timer: NodeJS.Timeout | null = null;

  touch(ms: number): void {
    this.timer = setTimeout((): void => { // want LEAK001 "this.timer"
      this.expire();
    }, ms);
  }

  close(): void {
    clearTimeout(this.timer as NodeJS.Timeout);
  }

  private expire(): void {}
}
