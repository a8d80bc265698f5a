"use strict";
// LEAK104: TypeScript with target es2015 compiles async methods to
// generators driven by __awaiter. A worker that awaits the next worker
// never settles: every job adds a generator, the __awaiter closures and a
// promise to a chain. fixed=true runs the jobs in a loop.
// Compiled by ./build.sh (tsc, target es2015) to worker.js + worker.js.map.
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Worker = void 0;
exports.submit = submit;
class Worker {
    constructor() {
        this.jobs = [];
        this.wake = null;
    }
    submit(job) {
        this.jobs.push(job);
        if (this.wake) {
            const w = this.wake;
            this.wake = null;
            w();
        }
    }
    nextJob() {
        const job = this.jobs.shift();
        if (job)
            return Promise.resolve(job);
        return new Promise((resolve) => { this.wake = resolve; }).then(() => this.nextJob());
    }
    run() {
        return __awaiter(this, void 0, void 0, function* () {
            const job = yield this.nextJob();
            job.done();
            yield this.run();
        });
    }
    runLoop() {
        return __awaiter(this, void 0, void 0, function* () {
            for (;;) {
                const job = yield this.nextJob();
                job.done();
            }
        });
    }
}
exports.Worker = Worker;
const workers = {};
/** Submits one job and waits until it is done. */
function submit(fixed) {
    const key = fixed ? 'fixed' : 'leaky';
    let w = workers[key];
    if (!w) {
        w = workers[key] = new Worker();
        if (fixed)
            w.runLoop();
        else
            w.run();
    }
    return new Promise((resolve) => w.submit({ done: resolve }));
}
//# sourceMappingURL=worker.js.map