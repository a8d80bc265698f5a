'use strict';
// A load script for `leaklsp watch --run`: N requests, one at a time, to
// each path on 127.0.0.1:PORT.  node load.js PORT N PATH…
const http = require('http');

const [port, n, ...paths] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: Number(port), path, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

(async () => {
  for (let i = 0; i < Number(n); i++) {
    for (const p of paths) await get(p);
  }
  agent.destroy();
})().catch((err) => {
  console.error(`load: ${err.message}`);
  process.exit(1);
});
