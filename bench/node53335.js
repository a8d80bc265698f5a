// Which Timeouts stay reachable after a conversion to a primitive
// (nodejs/node#53335), on the Node that runs this. Each case makes 200
// timers, lets them run, drops every reference but a WeakRef, collects
// garbage and prints how many are still alive (0 or 1: collected; the last
// timer of a list can stay cached in Node's timer lists).
//
//   for v in 18.20.4 20.15.0 22.3.0 20.20.2; do
//     "$(bash scripts/install-node.sh $v)" --expose-gc bench/node53335.js
//   done
//
// It is the ground truth of LEAK002's docs: on the affected versions a
// fired timeout stays unless it was cleared while its callback ran; an
// interval converted to its id never stays after clearInterval.
'use strict';
const N = 200;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cases = {
  'timeout converted, fires, never cleared': () => {
    const t = setTimeout(() => {}, 1);
    t[Symbol.toPrimitive]();
    return t;
  },
  'timeout converted, clearTimeout(id) in its callback (finally)': () => {
    const t = setTimeout(() => {
      try { /* work */ } finally { clearTimeout(id); }
    }, 1);
    const id = +t;
    return t;
  },
  'timeout converted, clearTimeout(id) after it fired': (later) => {
    const t = setTimeout(() => {}, 1);
    const id = +t;
    later.push(() => clearTimeout(id));
    return t;
  },
  'timeout converted, clearTimeout(timer) after it fired': (later) => {
    const t = setTimeout(() => {}, 1);
    String(t);
    later.push(() => clearTimeout(t));
    return t;
  },
  'timeout converted, cleared before it fires': () => {
    const t = setTimeout(() => {}, 1000);
    clearTimeout(+t);
    return t;
  },
  'timeout converted only after it fired': (later) => {
    const t = setTimeout(() => {}, 1);
    later.push(() => `${t}`);
    return t;
  },
  'interval converted, clearInterval(id) later': (later) => {
    const t = setInterval(() => {}, 1);
    const id = +t;
    later.push(() => clearInterval(id));
    return t;
  },
  'interval converted, clearInterval(id) in its callback': () => {
    const t = setInterval(() => clearInterval(id), 1);
    const id = +t;
    return t;
  },
};

(async () => {
  for (const [name, make] of Object.entries(cases)) {
    const refs = [];
    let later = [];
    for (let i = 0; i < N; i++) refs.push(new WeakRef(make(later)));
    await sleep(50);
    for (const f of later) f();
    later = null;
    await sleep(10);
    global.gc();
    await sleep(10);
    global.gc();
    const alive = refs.filter((r) => r.deref() !== undefined).length;
    console.log(`${process.version}\t${alive}/${N} alive\t${name}`);
  }
})();
