'use strict';
// Timeouts turned into primitives (nodejs/node#53335).
const t = setTimeout(() => {}, 10);
const id = +t; // want LEAK002 "unary \+"
const n = Number(t); // want LEAK002 "Number\(\)"
console.log(`timer ${t}`); // want LEAK002 "template literal"
const byId = {};
byId[t] = 1; // want LEAK002 "property key"
const raw = +setTimeout(() => {}, 5); // want LEAK002 "unary \+"
const key = 'timer:' + t; // want LEAK002 "string concatenation"
const prim = t[Symbol.toPrimitive](); // want LEAK002 "toPrimitive"

class Scheduler {
  start() {
    this.timer = setTimeout(() => { this.timer = null; }, 10);
    return String(this.timer); // want LEAK002 "String\(\)"
  }
}

let later;
later = setTimeout(() => {}, 1);
delete byId[later]; // want LEAK002 "property key"
