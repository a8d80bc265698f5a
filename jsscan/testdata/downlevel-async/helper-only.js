// A helper library that defines __awaiter but runs no async code with it.
var __awaiter = function (thisArg, _arguments, P, generator) {
  return new (P || (P = Promise))(function (resolve) { resolve(generator); });
};
module.exports = { __awaiter: __awaiter };
