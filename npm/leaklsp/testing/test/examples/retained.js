'use strict';
// assertCollectable's example: make() hands out sessions; the leaky
// variant also remembers each one in a module-level list.
class Session {
  constructor(id) {
    this.id = id;
    this.buffer = new Array(128).fill(id);
  }
}

const seen = [];
let next = 0;

function make(leaky) {
  const s = new Session(next++);
  if (leaky) seen.push(s); // leak: retained
  return s;
}

module.exports = { make, Session };
