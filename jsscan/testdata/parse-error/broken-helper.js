var __awaiter = function (thisArg, _arguments, P, generator) {}; // want LEAK004 "defines the __awaiter helper"
const x = ; // want LEAK000 "cannot scan"
