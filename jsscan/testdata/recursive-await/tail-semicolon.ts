// esbuild adds the ';' after the tail call; mapped back, it matched the
// ';' after the closing brace and the loop rewrite sliced backwards.
declare function g(): Promise<void>;
declare function go(): void;
async function f() {
  await g();
  await f() }; go(); // want LEAK003 "awaits a call to itself \(f\)"
