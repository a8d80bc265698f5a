'use strict';
// Timeouts kept as objects; numbers that are not timers.
const t = setTimeout(() => {}, 10);
clearTimeout(t);
const pending = new Map();
pending.set(t, 'job');
const count = 3;
const n = +count;
const s = Number('42');
function shadow(t) {
  return +t + `${t}`;
}
const obj = {};
obj[count] = String(count);

// Another class's this.timer is another place: a number here.
class Scheduler {
  arm() {
    this.timer = setTimeout(() => { this.timer = null; this.run(); }, 10);
  }
}
class Stopwatch {
  start() {
    this.timer = 5;
    return 't=' + this.timer;
  }
}
