// esbuild --target=es2015 output.
var __async = (__this, __arguments, generator) => { // want LEAK004 "esbuild's __async helper"
  return new Promise((resolve, reject) => {
    var step = (x) => x.done ? resolve(x.value) : Promise.resolve(x.value).then(fulfilled, rejected);
    var fulfilled = (value) => step(generator.next(value));
    var rejected = (value) => step(generator.throw(value));
    step((generator = generator.apply(__this, __arguments)).next());
  });
};
function load() {
  return __async(this, null, function* () {
    yield fetch("/x");
  });
}
