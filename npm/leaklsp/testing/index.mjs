// ESM entry of leaklsp/testing: the same functions as index.cjs.
import testing from './index.cjs';

export const { assertNoLeak, assertCollectable, countLive } = testing;
export default testing;
