// tsc's down-levelled private fields (@redis/client's ping timer): the
// helper calls are the place's reads, writes and clears.
var _Client_pingTimer, _Quiet_t;
class Client {
  ping() {
    clearTimeout(__classPrivateFieldGet(this, _Client_pingTimer, "f"));
    __classPrivateFieldSet(this, _Client_pingTimer, setTimeout(() => { // want LEAK001 "the private field _Client_pingTimer"
      this.send().finally(() => this.ping());
    }, 1000), "f");
  }
  disconnect() {
    if (__classPrivateFieldGet(this, _Client_pingTimer, "f"))
      clearTimeout(__classPrivateFieldGet(this, _Client_pingTimer, "f"));
  }
}

// Negative: the callback writes undefined to the field.
class Quiet {
  arm() {
    __classPrivateFieldSet(this, _Quiet_t, setTimeout(() => {
      __classPrivateFieldSet(this, _Quiet_t, undefined, "f");
    }, 1000), "f");
  }
}
