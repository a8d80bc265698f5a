'use strict';
// Loops, bounded recursion and calls that are not awaited.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function pollLoop() {
  while (true) {
    await sleep(2);
  }
}

async function retry(n) {
  if (n <= 0) return;
  await retry(n - 1);
}

async function walk(node) {
  if (!node) return;
  await walk(node.left);
  await walk(node.right);
}

async function fireAndForget() {
  setTimeout(() => fireAndForget(), 10);
  fireAndForget().catch(() => {});
}

let tries = 0;
async function connect() {
  tries++;
  if (tries > 5) throw new Error('giving up');
  await connect();
}

class Async {
  async run() {
    await sleep(2);
  }
  async main() {
    for (;;) {
      const worker = new Async();
      await worker.run();
    }
  }
  async other(peer) {
    await peer.other();
  }
}

function sync() {
  return sync();
}

async function copyAll(from) {
  for (const entry of await list(from)) {
    const sub = join(from, entry);
    await copyAll(sub);
  }
}

class Tx {
  async query(sql) {
    try {
      return await run(sql);
    } catch (err) {
      if (this.retries < 5) {
        this.retries += 1;
        return this.query(sql);
      }
      throw err;
    }
  }
}

// An immediate retry from a catch block: the error bounds it (mongodb's
// re-authentication after dropping a stale token, make-dir's retry once
// the parent directory exists).
class Auth {
  async execute(conn) {
    try {
      return await this.finish(conn, this.cache.token);
    } catch (error) {
      this.cache.removeToken();
      return await this.execute(conn);
    }
  }
}

async function make(pth) {
  try {
    await mkdir(pth);
  } catch (error) {
    if (error.code === 'ENOENT') {
      await make(dirname(pth));
      return make(pth);
    }
    throw error;
  }
}

// A class field arrow that calls another field, or loops, is no recursion.
class FieldLoop {
  poll = async () => {
    while (this.running) await sleep(100);
  };
  tick = async () => {
    await this.poll();
  };
}
