"use strict";
// tsc --importHelpers output: the helper comes from tslib.
const tslib_1 = require("tslib");
function load() {
    return tslib_1.__awaiter(this, void 0, void 0, function* () { // want LEAK004 "__awaiter helper"
        yield fetch("/x");
    });
}
