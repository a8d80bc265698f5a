let depth = 0;
async function task() {
  depth++;
  await sleep(2);

  await task(); // want LEAK003 "task"
}
