// TypeScript 5.2 `using` declarations are lowered by esbuild before the
// scan, so the file is checked instead of failing with a parse error.
declare function open(): AsyncDisposable;

export class Session {
  private timer?: ReturnType<typeof setTimeout>;

  async run(): Promise<void> {
    await using conn = open();
    this.timer = setTimeout(() => { // want LEAK001 "this.timer"
      console.log('idle', conn);
    }, 1000);
  }
}
