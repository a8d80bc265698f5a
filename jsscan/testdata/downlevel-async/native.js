// Native async functions: nothing to report.
async function load() {
  await fetch('/x');
}
