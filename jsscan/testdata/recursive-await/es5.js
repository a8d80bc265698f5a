"use strict";
// tsc --target es5 output: __awaiter around a __generator state machine.
function task() {
    // No LEAK004: the state machine has no native generator (not the V8 generator leak).
    return __awaiter(this, void 0, void 0, function () {
        return __generator(this, function (_a) {
            switch (_a.label) {
                case 0: return [4 /*yield*/, sleep(2)];
                case 1:
                    _a.sent();
                    return [4 /*yield*/, task()]; // want LEAK003 "task"
                case 2:
                    _a.sent();
                    return [2 /*return*/];
            }
        });
    });
}
