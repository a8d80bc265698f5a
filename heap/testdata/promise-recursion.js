'use strict';
// LEAK103 + LEAK003 fixture: a feed that reads its source by returning a
// call to itself (return this.next()) instead of looping. Each round
// finishes, but its promise is resolved with the next round's, so every
// round adds a pending promise. The program pauses the feed after ROUNDS
// messages (pause() sets a flag, the last round returns the promise
// resume() would settle), so the chain stops growing at a known length and
// stays: ROUNDS promises of next() plus the one it waits on. The loop
// written as a loop is in testdata/fixtures/versions/control.js (Feed.run).
const v8 = require('node:v8');

const ROUNDS = 300;

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Feed {
  constructor(source) {
    this.source = source;
    this.paused = false;
    this.resumed = new Promise((resolve) => { this.resume = resolve; });
    this.pending = this.next();
  }
  async next() {
    await this.source();
    if (this.paused) return this.resumed;
    return this.next();
  }
  pause() {
    this.paused = true;
  }
}

let sent = 0;
const feed = new Feed(() => {
  if (++sent === ROUNDS) feed.pause();
  return delay(1);
});

(function waitForPause() {
  if (!feed.paused) {
    setTimeout(waitForPause, 20);
    return;
  }
  setTimeout(() => {
    global.gc();
    global.gc();
    const out = v8.writeHeapSnapshot(process.env.SNAPSHOT_OUT);
    console.log(JSON.stringify({ snapshot: out, rounds: ROUNDS, sent }));
    process.exit(0);
  }, 50);
})();
