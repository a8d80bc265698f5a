// Compiled with tsc --noEmit by run.sh: the declarations fit real use.
import { assertNoLeak, assertCollectable, countLive } from '../index';
import testing from '../index';

class Conn {}

export async function typed(): Promise<number> {
  await assertNoLeak(async (i: number) => i + 1, { iterations: 10, warmup: 2, allow: 3, root: '.' });
  await assertCollectable(() => new Conn(), { count: 10, snapshotEvery: 5 });
  await testing.assertNoLeak(() => undefined);
  return (await countLive(Conn)) + (await countLive('Conn'));
}
