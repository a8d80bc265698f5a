'use strict';
// How much one call allocates, to choose between the two ways assertNoLeak
// measures: sampling every allocation of the calls (a couple of
// microseconds per object allocated) or tracking every object of the heap
// (about as much per object in the heap). Young objects go to V8's new
// space, whose used size grows by what a call allocates until a scavenge
// empties it.
const v8 = require('node:v8');

function newSpace() {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
}

/**
 * Runs call() and resolves about how many bytes it allocated in new space:
 * the growth of its used size or, when a scavenge emptied it meanwhile, at
 * least what was free before plus what is used after. 0 where V8 reports
 * no new space.
 */
async function bytesAllocatedBy(call) {
  const before = newSpace();
  await call();
  const after = newSpace();
  if (!before || !after) return 0;
  if (after.space_used_size >= before.space_used_size) return after.space_used_size - before.space_used_size;
  return before.space_available_size + after.space_used_size;
}

/** Whether sampling calls that allocate bytes in all costs less than tracking the heap. */
function samplingIsCheaper(bytes) {
  return bytes <= v8.getHeapStatistics().used_heap_size;
}

module.exports = { bytesAllocatedBy, samplingIsCheaper };
