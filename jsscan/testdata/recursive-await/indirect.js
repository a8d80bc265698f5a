// Recursion through indirection: .call/.apply, private methods, tsc's
// down-levelled private methods, and two calls deep (limiter's
// removeTokens -> comeBackLater -> removeTokens).

async function poll(conn) {
  await sleep(1000);
  return poll.call(this, conn); // want LEAK003 "recursive return: .*poll.call"
}

async function drain(q) {
  await q.flush();
  await drain.apply(this, arguments); // want LEAK003 "recursive await"
}

class Consumer {
  async #fetch() {
    const batch = await this.client.fetch();
    this.emit('batch', batch);
    await this.#fetch(); // want LEAK003 "this.#fetch"
  }
}

var _Worker_instances, _Worker_loop;
class Worker {
  run() {
    return __privateMethod(this, _Worker_instances, _Worker_loop).call(this);
  }
}
_Worker_loop = async function _Worker_loop() {
  await this.step();
  await __privateMethod(this, _Worker_instances, _Worker_loop).call(this); // want LEAK003 "recursive await"
};

class TokenBucket {
  async removeTokens(count) {
    const comeBackLater = async () => {
      await wait(this.interval);
      return this.removeTokens(count); // want LEAK003 "two calls deep.*this.removeTokens\(\), which calls back into it \(comeBackLater\)"
    };
    if (count > this.content) return comeBackLater();
    this.content -= count;
    return this.content;
  }
}

// Negative: a different function, and a call back that is not awaited.
async function resolve(client) {
  return await resolveMaster(client);
}
async function resolveMaster(client) {
  const m = await client.get('master');
  setImmediate(() => resolve(client));
  return m;
}

// Negative: a tree walk recurses on new data (bounded by the tree).
async function walk(dir) {
  for (const e of await readdir(dir)) {
    if (e.isDirectory()) await walk.call(null, join(dir, e.name));
  }
}
