// TypeScript without semicolons: esbuild's output has them, the source
// does not, and a comment after the clear holds a ';' of its own. The
// release goes after the statement, not into the comment.
export class Session {
  private t: ReturnType<typeof setTimeout> | null = null

  start(): void {
    this.t = setTimeout(() => { // want LEAK001 "this.t"
      this.fire()
    }, 10)
  }

  stop(): void {
    clearTimeout(this.t!) // cancel; then notify
    this.notify()
  }

  fire(): void {}
  notify(): void {}
}

// esbuild renames the namespace object (N -> N2): the message and the
// fix must use the source's name, or no fix at all.
namespace Poll {
  export let handle: any
  export function start(): void {
    handle = setTimeout(() => { // want LEAK001 "through handle:"
      console.log('tick')
    }, 1)
  }
}
