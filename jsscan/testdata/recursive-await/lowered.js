"use strict";
// tsc --target es2015 and esbuild --target=es2015 output.
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) { // want LEAK004 "__awaiter helper"
    return new (P || (P = Promise))(function (resolve, reject) {
        function step(result) { result.done ? resolve(result.value) : Promise.resolve(result.value).then((v) => step(generator.next(v)), reject); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class Async {
    run() {
        return __awaiter(this, void 0, void 0, function* () {
            const next = new Async();
            yield next.run(); // want LEAK003 "compiled to a generator\) yields a call to itself \(next.run\)"
        });
    }
}
const tick = () => __awaiter(void 0, void 0, void 0, function* () {
    yield tick(); // want LEAK003 "tick"
});
function poll() {
    return __async(this, null, function* () {
        yield poll(); // want LEAK003 "poll"
    });
}
