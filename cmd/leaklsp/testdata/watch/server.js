'use strict';
// An HTTP service that leaks one Session per request to /login into a Map
// that is never pruned, while /health makes a HealthCheck per request and
// drops it. `leaklsp watch` must report the growth at the Session
// constructor (labelled LEAK120) and nothing at HealthCheck (labelled
// no-leak). Listens on 127.0.0.1 only, on the port it is given (0: any),
// and prints "ready <port>".
const http = require('http');

const sessions = new Map();
let next = 0;

class Session {
  constructor(id, agent) { // LEAK120
    this.id = id;
    this.agent = agent;
    this.createdAt = Date.now();
    this.cart = [];
  }
}

class HealthCheck {
  constructor(path) { // no-leak
    this.path = path;
    this.at = Date.now();
  }
}

const server = http.createServer((req, res) => {
  if (req.url === '/login') {
    const id = next++;
    sessions.set(id, new Session(id, req.headers['user-agent'] || ''));
    res.end(`session ${id}\n`);
    return;
  }
  const check = new HealthCheck(req.url);
  res.end(`ok ${check.path}\n`);
});
server.keepAliveTimeout = 100;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`ready ${server.address().port}`);
});
