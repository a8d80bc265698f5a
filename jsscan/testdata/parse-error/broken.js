async function task() {
  await task();
}
function oops() {
  return 1;
}} // want LEAK000 "cannot scan: unexpected } .*line 6"
