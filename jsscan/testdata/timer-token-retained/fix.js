class Job {
  constructor(id) {
    this.id = id;
    this.timeout = setTimeout(() => { // want LEAK001 "this.timeout"
      this.status = 'done';
    }, 1);
  }

  cancel() {
    clearTimeout(this.timeout);
  }
}

class Inline {
  constructor() {
    this.t = setTimeout(() => { done(); }, 1); // want LEAK001 "this.t"
    this.u = setTimeout(function () { done(); }, 1); // want LEAK001 "this.u"
  }
}
